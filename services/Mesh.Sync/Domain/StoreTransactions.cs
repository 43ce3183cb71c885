using System.Security.Cryptography;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Schema;
using Mesh.Sync.Storage;
using Microsoft.Extensions.Options;

namespace Mesh.Sync.Domain;

/// <summary>
/// Transact (§7.3.5, §10.12): appends to several stores of one account, all or nothing. Every update's
/// expected index and apex and every envelope are checked against the account's stores as this
/// replica last saw them (<see cref="StoreStateCache"/>); when all is well, one round trip writes the
/// entries and frontiers if the stores are still where the checks assumed (StoreSession.AppendIfCurrentAsync).
/// A store that moved, or a failure found on kept rows, is checked again on a fresh read, so every
/// answer but Accept is made from what the database holds.
/// </summary>
public sealed class StoreTransactions(StoreRepository repository, ApexKeyCache apexKeyCache, StoreStateCache stateCache, AccessPolicyCache accessPolicies,
    IOptions<SyncOptions> options, TimeProvider clock)
{
    /// <summary>Writes tried before the answer is Conflict: each failed one means another replica wrote the account's stores meanwhile.</summary>
    public const int MaxWrites = 4;

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

    /// <summary>What a checked request writes: its entries, and per store the count assumed and the frontier after.</summary>
    sealed record Write(List<NewEntry> Entries, List<StoreWrite> Stores, (long StoreId, long Count)? Access);

    public async Task<TransactResponse> TransactAsync(SyncCaller caller, string account, TransactRequest request, CancellationToken cancellationToken)
    {
        var (items, updates) = Flatten(request);
        if (items.Count > limits.MaxTransactEntries)
            return Failed(MeshStatus.TooLarge, $"the request appends {items.Count} envelopes, the limit is {limits.MaxTransactEntries}", []);
        if (request.Outbound is { Count: > 0 })
            return Failed(MeshStatus.BadRequest, "Outbound messages are sent with the Post transaction, not appended by Transact", []);

        var accountLock = stateCache.LockFor(account);
        await accountLock.WaitAsync(cancellationToken);
        try
        {
            await using var session = await repository.ConnectAsync(cancellationToken);
            var stores = stateCache.Get(account);
            for (var (tries, writes) = (0, 0); ; tries++)
            {
                // Each try checks items of its own: a failure recorded on kept rows must not outlive them.
                if (tries > 0) (items, updates) = Flatten(request);
                var fresh = stores is null;
                if (stores is null)
                {
                    stores = await session.ReadStoresAsync(account, cancellationToken);
                    if (stores.Count > 0) stateCache.Keep(account, stores);
                }
                var received = clock.GetUtcNow().UtcDateTime;
                Write write;
                try
                {
                    write = await CheckAsync(session, caller, account, stores, items, updates, received, cancellationToken);
                }
                catch (SyncRequestException) when (!fresh)
                {
                    stores = null;
                    continue;
                }
                if (items.FirstOrDefault(i => i.Result is not null) is { } failed)
                {
                    if (!fresh)
                    {
                        stores = null;
                        continue;
                    }
                    var status = items.Any(i => i.Result == EntryResult.Conflict) ? MeshStatus.Conflict : failed.ProblemStatus;
                    return Failed(status, $"entry {failed.RequestIndex}: {failed.Problem}; no entry was applied", items);
                }
                if (await session.AppendIfCurrentAsync(write.Stores, write.Access, write.Entries, received, cancellationToken))
                {
                    var after = write.Stores.ToDictionary(s => s.StoreId, s => s.Frontier);
                    stateCache.Keep(account, stores.Select(s => after.TryGetValue(s.StoreId, out var f) ? s with { Frontier = f, Apex = f.Apex } : s).ToList());
                    foreach (var item in items) item.Result = EntryResult.Accept;
                    return new TransactResponse
                    {
                        Status = MeshStatus.Success,
                        StatusDescription = MeshStatus.SuccessDescription,
                        Entries = Responses(items),
                    };
                }
                stateCache.Forget(account);
                stores = null;
                if (++writes == MaxWrites)
                    return Failed(MeshStatus.Conflict, $"the account's stores changed {MaxWrites} times while the request was applied; no entry was applied", items);
            }
        }
        finally
        {
            accountLock.Release();
        }
    }

    /// <summary>Checks every item against <paramref name="stores"/>, recording failures on the items; returns what to write when none failed.</summary>
    async Task<Write> CheckAsync(StoreSession session, SyncCaller caller, string account, IReadOnlyList<StoreRow> stores, List<Item> items,
        List<(ContainerUpdate Update, List<Item> Items)> updates, DateTime received, CancellationToken cancellationToken)
    {
        AccountAccess.RequireAccount(caller, stores);
        var rights = await accessPolicies.RightsAsync(session, caller, stores, cancellationToken);
        foreach (var item in items)
        {
            if (item.Store is null)
                Fail(item, EntryResult.Reject, item.RequestedStore is { Length: > 0 } requested
                    ? $"the update names store '{Shorten(requested)}', which this service does not keep"
                    : "the update names no store");
            else if (!rights.On(item.Store).HasFlag(StoreRights.Write))
                Fail(item, EntryResult.Reject, $"device '{caller.DeviceUdf}' has no right to write store '{item.Store}' (Access catalog)", MeshStatus.Forbidden);
        }

        var byName = stores.ToDictionary(s => s.Name);
        var apexKeys = await apexKeyCache.GetAsync(session, account, stores[0].StoreId, cancellationToken);
        var frontiers = new Dictionary<long, MerkleFrontier>();

        foreach (var (update, updateItems) in updates)
        {
            var name = StoreNames.Canonical(update.Container);
            if (name is null || !byName.TryGetValue(name, out var store))
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
            if (!byName.TryGetValue(item.Store!, out var store))
            {
                Fail(item, EntryResult.Reject, $"account has no store '{item.Store}'");
                continue;
            }
            var frontier = frontiers.GetValueOrDefault(store.StoreId, store.Frontier);
            frontiers[store.StoreId] = Append(item, frontier, f => SequenceFrames.FrameMessage(item.Envelope, f, limits, received));
        }

        var entries = items.Where(i => i.Frame is not null).Select(i => new NewEntry(byName[i.Store!].StoreId, i.StoreIndex!.Value, i.Frame!.Envelope,
            i.Frame.PayloadDigest, i.Frame.Frontier.Apex, i.Frame.UniqueId)).ToList();
        var written = stores.Where(s => frontiers.ContainsKey(s.StoreId)).Select(s => new StoreWrite(s.StoreId, s.Frontier.Count, frontiers[s.StoreId])).ToList();
        // The rights above came from the Access store at this count; the write holds it there.
        var access = byName.GetValueOrDefault(AccessRights.AccessStore) is { } accessStore ? (accessStore.StoreId, accessStore.Frontier.Count) : ((long, long)?)null;
        return new Write(entries, written, access);
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
