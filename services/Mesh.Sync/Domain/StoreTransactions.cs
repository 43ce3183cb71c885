using System.Data;
using System.Security.Cryptography;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Mesh.Sync.Storage;
using Microsoft.Extensions.Options;

namespace Mesh.Sync.Domain;

/// <summary>
/// Transact (§7.3.5, §10.12): appends to several stores of one account, all or nothing. The stores
/// are locked (FOR UPDATE, in store_id order), each update's expected index and apex are compared
/// with the locked rows, every envelope is checked, and only when every entry is accepted are the
/// entries and frontiers written and committed together.
/// </summary>
public sealed class StoreTransactions(StoreRepository repository, ApexKeyCache apexKeyCache, IOptions<SyncOptions> options, TimeProvider clock)
{
    readonly SyncOptions limits = options.Value;

    /// <summary>One envelope of the request, where it goes, and what became of it.</summary>
    sealed class Item(int requestIndex, string? store, Enveloped envelope, bool serviceFramed, string? requestedStore = null)
    {
        public int RequestIndex { get; } = requestIndex;
        public string? Store { get; } = store;
        /// <summary>The store name as the request spelled it (for the error when it names none of ours).</summary>
        public string? RequestedStore { get; } = requestedStore;
        public Enveloped Envelope { get; } = envelope;
        public bool ServiceFramed { get; } = serviceFramed;
        public long? StoreIndex { get; set; }
        public string? Result { get; set; }
        public string? Problem { get; set; }
        public long ProblemStatus { get; set; }
        public CheckedFrame? Frame { get; set; }
    }

    public async Task<TransactResponse> TransactAsync(SyncCaller caller, string account, TransactRequest request, CancellationToken cancellationToken)
    {
        var (items, updates) = Flatten(request);
        if (items.Count > limits.MaxTransactEntries)
            return Failed(MeshStatus.TooLarge, $"the request appends {items.Count} envelopes, the limit is {limits.MaxTransactEntries}", []);
        if (request.Outbound is { Count: > 0 })
            return Failed(MeshStatus.BadRequest, "Outbound messages are sent with the Post transaction, not appended by Transact", []);

        var names = items.Where(i => i.Store is not null).Select(i => i.Store!).Distinct().ToArray();
        await using var session = await repository.BeginAsync(IsolationLevel.ReadCommitted, cancellationToken);
        // The target stores locked, the others (the account check, the Access store) as the transaction starts.
        var (all, locked) = await session.LockStoresAsync(account, names, cancellationToken);
        AccountAccess.RequireAccount(caller, all);
        var rights = await AccountAccess.RightsAsync(session, caller, all, cancellationToken);
        foreach (var item in items)
        {
            if (item.Store is null)
                Fail(item, EntryResult.Reject, item.RequestedStore is { Length: > 0 } requested
                    ? $"the update names store '{Shorten(requested)}', which this service does not keep"
                    : "the update names no store");
            else if (!rights.On(item.Store).HasFlag(StoreRights.Write))
                Fail(item, EntryResult.Reject, $"device '{caller.DeviceUdf}' has no right to write store '{item.Store}' (Access catalog)", MeshStatus.Forbidden);
        }

        var stores = locked.ToDictionary(s => s.Name);
        var apexKeys = await apexKeyCache.GetAsync(session, account, all[0].StoreId, cancellationToken);
        var frontiers = new Dictionary<long, MerkleFrontier>();
        var received = clock.GetUtcNow().UtcDateTime;

        foreach (var (update, updateItems) in updates)
        {
            var name = StoreNames.Canonical(update.Container);
            if (name is null || !stores.TryGetValue(name, out var store))
            {
                foreach (var item in updateItems) Fail(item, EntryResult.Reject, $"account has no store '{update.Container}'");
                continue;
            }
            var frontier = frontiers.GetValueOrDefault(store.StoreId, store.Frontier);
            if (!Expected(update, frontier))
            {
                var state = frontier.Count == 0 ? "empty" : $"at index {frontier.Count - 1}";
                foreach (var item in updateItems) Fail(item, EntryResult.Conflict, $"store '{name}' is {state}, not at the index and apex the update expects");
                continue;
            }
            foreach (var item in updateItems) frontier = Append(item, frontier, f =>
            {
                // The Access catalog is the service's policy: only the administration key writes it (ADR 0005).
                if (name == AccessRights.AccessStore) AccessRights.CheckEntry(item.Envelope, apexKeys.GetValueOrDefault);
                return SequenceFrames.CheckClientFrame(item.Envelope, f, limits, apexKeys.GetValueOrDefault);
            });
            frontiers[store.StoreId] = frontier;
        }
        foreach (var item in items.Where(i => i.ServiceFramed))
        {
            if (item.Result is not null) continue;
            if (!stores.TryGetValue(item.Store!, out var store))
            {
                Fail(item, EntryResult.Reject, $"account has no store '{item.Store}'");
                continue;
            }
            var frontier = frontiers.GetValueOrDefault(store.StoreId, store.Frontier);
            frontiers[store.StoreId] = Append(item, frontier, f => SequenceFrames.FrameMessage(item.Envelope, f, limits, received));
        }

        var failed = items.FirstOrDefault(i => i.Result is not null);
        if (failed is not null)
        {
            // Nothing is written: the transaction rolls back when the session is disposed.
            var status = items.Any(i => i.Result == EntryResult.Conflict) ? MeshStatus.Conflict : failed.ProblemStatus;
            return Failed(status, $"entry {failed.RequestIndex}: {failed.Problem}; no entry was applied", items);
        }

        var storeIds = stores.Values.ToDictionary(s => s.Name, s => s.StoreId);
        var entries = items.Select(i => new NewEntry(storeIds[i.Store!], i.StoreIndex!.Value, i.Frame!.Envelope, i.Frame.PayloadDigest,
            i.Frame.Frontier.Apex, received, i.Frame.UniqueId)).ToList();
        await session.AppendAsync(entries, frontiers, cancellationToken);
        await session.CommitAsync(cancellationToken);
        foreach (var item in items) item.Result = EntryResult.Accept;
        return new TransactResponse
        {
            Status = MeshStatus.Success,
            StatusDescription = MeshStatus.SuccessDescription,
            Entries = Responses(items),
        };
    }

    MerkleFrontier Append(Item item, MerkleFrontier frontier, Func<MerkleFrontier, CheckedFrame> check)
    {
        if (item.Result is not null) return frontier;
        item.StoreIndex = frontier.Count;
        try
        {
            item.Frame = check(frontier);
            return item.Frame.Frontier;
        }
        catch (SyncRequestException e)
        {
            Fail(item, EntryResult.Reject, e.Message, e.Status);
            return frontier;
        }
    }

    /// <summary>The update's Index/Digest name the last entry and apex the device holds; both absent for an empty store.</summary>
    static bool Expected(ContainerUpdate update, MerkleFrontier frontier)
    {
        if (frontier.Count == 0) return update.Index is null && update.Digest is null;
        return update.Index == frontier.Count - 1 && update.Digest is { } digest &&
               digest.Length == DareAlgorithms.DigestLength && CryptographicOperations.FixedTimeEquals(digest, frontier.Apex);
    }

    // A name echoed in an error stays short whatever the client sent.
    static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";

    static (List<Item> Items, List<(ContainerUpdate Update, List<Item> Items)> Updates) Flatten(TransactRequest request)
    {
        var items = new List<Item>();
        var updates = new List<(ContainerUpdate, List<Item>)>();
        foreach (var update in request.Updates ?? [])
        {
            var name = StoreNames.Canonical(update.Container);
            var start = items.Count;
            foreach (var envelope in update.Envelopes ?? []) items.Add(new Item(items.Count, name, envelope, serviceFramed: false, update.Container));
            updates.Add((update, items.GetRange(start, items.Count - start)));
        }
        foreach (var envelope in request.Inbound ?? []) items.Add(new Item(items.Count, StoreNames.Inbound, envelope, serviceFramed: true));
        foreach (var envelope in request.Local ?? []) items.Add(new Item(items.Count, StoreNames.Local, envelope, serviceFramed: true));
        return (items, updates);
    }

    static void Fail(Item item, string result, string problem, long status = MeshStatus.BadRequest)
    {
        if (item.Result is not null) return;
        item.Result = result;
        item.Problem = problem;
        item.ProblemStatus = result == EntryResult.Conflict ? MeshStatus.Conflict : status;
    }

    static TransactResponse Failed(long status, string description, List<Item> items) => new()
    {
        Status = status,
        StatusDescription = description,
        Entries = Responses(items),
    };

    // An entry that was not at fault in a failed transaction carries no Result: it was neither
    // accepted nor rejected, only not applied.
    static List<EntryResponse> Responses(List<Item> items) =>
        items.Select(i => new EntryResponse
        {
            IndexRequest = i.RequestIndex,
            IndexContainer = i.Result == EntryResult.Accept ? i.StoreIndex : null,
            Result = i.Result,
        }).ToList();
}
