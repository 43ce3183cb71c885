using System.Data;
using System.Text.Json;
using Mesh.Core.Schema;
using Mesh.Sync.Storage;
using Microsoft.Extensions.Options;

namespace Mesh.Sync.Domain;

/// <summary>A Download answer and, per entry of its Updates that stopped early, the page key that continues it.</summary>

/// <summary>Status (§10.10) and Download (§10.11): reads of the account's stores.</summary>
public sealed class StoreReads(StoreRepository repository, AccessPolicyCache accessPolicies, IOptions<SyncOptions> options)
{
    readonly SyncOptions limits = options.Value;

    static readonly JsonElement EmptyHeader = EnvelopeCodec.ToElement("{}"u8.ToArray());

    /// <summary>
    /// Index and apex of every store the caller may read (all, or those named in Catalogs/Spools);
    /// the account profile when the request's ProfileMasterDigest is not its digest; the caller's own
    /// Device catalog entry (the last one whose UniqueId is its device UDF) when it may read that catalog.
    /// </summary>
    public async Task<StatusResponse> StatusAsync(SyncCaller caller, string account, StatusRequest request, CancellationToken cancellationToken)
    {
        List<StoreRow> stores;
        AccessRights rights;
        AccountProfileRow? profile;
        byte[]? deviceEntry = null;
        await using (var session = await repository.BeginAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            stores = await session.ReadStoresAsync(account, cancellationToken);
            AccountAccess.RequireAccount(caller, stores);
            rights = await accessPolicies.RightsAsync(session, caller, stores, cancellationToken);
            profile = await session.ReadAccountProfileAsync(account, cancellationToken);
            var devices = stores.FirstOrDefault(s => s.Name == StoreNames.Device);
            if (devices is not null && rights.On(devices.Name).HasFlag(StoreRights.Read))
                deviceEntry = await session.ReadLastEntryAsync(devices.StoreId, caller.DeviceUdf, cancellationToken);
        }
        var named = (request.Catalogs ?? []).Concat(request.Spools ?? []).ToList();
        if (named.FirstOrDefault(n => StoreNames.Canonical(n) is null) is { } unknown)
            throw new SyncRequestException(MeshStatus.NotFound, $"account has no store '{(unknown.Length <= 64 ? unknown : unknown[..64] + "…")}'");
        var wanted = named.Select(n => StoreNames.Canonical(n)!).ToHashSet();
        var selected = stores
            .Where(s => (wanted.Count == 0 || wanted.Contains(s.Name)) && rights.On(s.Name).HasFlag(StoreRights.Read))
            .OrderBy(s => Order(s.Name));
        var profileKnown = profile is null || request.ProfileMasterDigest is { } known && known.AsSpan().SequenceEqual(profile.Digest);
        return new StatusResponse
        {
            Status = MeshStatus.Success,
            StatusDescription = MeshStatus.SuccessDescription,
            EnvelopedProfileAccount = profileKnown ? null : EnvelopeCodec.FromBytes(profile!.Envelope),
            EnvelopedCatalogedDevice = deviceEntry is null ? null : EnvelopeCodec.FromBytes(deviceEntry),
            ContainerStatus = selected.Select(s => new ContainerStatus { Container = s.Name, Index = s.LastIndex, Digest = s.Apex }).ToList(),
        };
    }

    sealed record Query(string Store, long First, long Last, DateTime? NotBefore, DateTime? Before);

    /// <summary>
    /// The entries selected by each ConstraintsSelect, at most the configured (or the requested,
    /// when smaller) number of entries and bytes per response; a store cut short is marked Partial
    /// and gets a page key. All stores are read in one snapshot.
    /// </summary>
    public async Task<DownloadResponse> DownloadAsync(SyncCaller caller, string account, DownloadRequest request, CancellationToken cancellationToken)
    {
        var data = request.ConstraintsPost;
        var maxEntries = EntryBudget(request, data);
        var slice = PayloadSlice(data);
        var queries = (request.Select ?? []).Select(ToQuery).ToList();

        await using var session = await repository.BeginAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var storeRows = await session.ReadStoresAsync(account, cancellationToken);
        AccountAccess.RequireAccount(caller, storeRows);
        var rights = await accessPolicies.RightsAsync(session, caller, storeRows, cancellationToken);
        var stores = storeRows.ToDictionary(s => s.Name);
        if (queries.Count == 0)
        {
            queries = stores.Keys.Where(name => rights.On(name).HasFlag(StoreRights.Read))
                .OrderBy(Order).Select(name => new Query(name, 0, long.MaxValue, null, null)).ToList();
        }

        var updates = new List<ContainerUpdate>();
        var entriesLeft = maxEntries;
        long bytesLeft = limits.MaxDownloadBytes;
        foreach (var query in queries)
        {
            if (!stores.TryGetValue(query.Store, out var store))
                throw new SyncRequestException(MeshStatus.NotFound, $"account has no store '{query.Store}'");
            if (!rights.On(store.Name).HasFlag(StoreRights.Read))
                throw new SyncRequestException(MeshStatus.Forbidden, $"device '{caller.DeviceUdf}' has no right to read store '{store.Name}' (Access catalog)");
            var update = new ContainerUpdate { Container = store.Name, Index = store.LastIndex, Digest = store.Apex, Envelopes = [] };
            updates.Add(update);
            var last = Math.Min(query.Last, store.LastIndex ?? -1);
            if (query.First > last) continue;
            var rows = entriesLeft == 0 ? []
                : await session.ReadEntriesAsync(store.StoreId, query.First, last, query.NotBefore, query.Before, entriesLeft + 1, cancellationToken);
            var taken = 0;
            foreach (var row in rows)
            {
                if (taken == entriesLeft || row.Envelope.Length > bytesLeft) break;
                update.Envelopes.Add(Select(EnvelopeCodec.FromBytes(row.Envelope), data, slice));
                bytesLeft -= row.Envelope.Length;
                taken++;
            }
            entriesLeft -= taken;
            var stoppedAt = taken < rows.Count ? rows[taken].Index : rows.Count == 0 && entriesLeft == 0 ? query.First : (long?)null;
            if (stoppedAt is { } next)
            {
                update.Partial = true;
                update.PageKey = new PageKey(store.Name, next, query.Last == long.MaxValue ? null : query.Last, query.NotBefore, query.Before).Encode();
            }
        }
        return new DownloadResponse { Status = MeshStatus.Success, StatusDescription = MeshStatus.SuccessDescription, Updates = updates };
    }

    int EntryBudget(DownloadRequest request, ConstraintsData? data)
    {
        long? asked = data?.MaxEntries;
        if (asked is < 1) throw new SyncRequestException(MeshStatus.BadRequest, $"ConstraintsPost.MaxEntries is {asked}; it must be at least 1");
        // The newer texts send MaxResults, -1 meaning "no limit of mine": the service's limit applies.
        if (asked is null && request.MaxResults is > 0) asked = request.MaxResults;
        return (int)Math.Min(asked ?? long.MaxValue, limits.MaxDownloadEntries);
    }

    static (long Offset, long? Max) PayloadSlice(ConstraintsData? data)
    {
        if (data?.BytesOffset is < 0) throw new SyncRequestException(MeshStatus.BadRequest, $"ConstraintsPost.BytesOffset is {data.BytesOffset}; it cannot be negative");
        if (data?.BytesMax is < 0) throw new SyncRequestException(MeshStatus.BadRequest, $"ConstraintsPost.BytesMax is {data.BytesMax}; it cannot be negative");
        return (data?.BytesOffset ?? 0, data?.BytesMax);
    }

    static Query ToQuery(ConstraintsSelect select)
    {
        if (select.PageKey is { } text)
        {
            var key = PageKey.Decode(text);
            return new Query(StoreName(key.Store), key.Next, key.IndexMax ?? long.MaxValue, key.NotBefore, key.Before);
        }
        var store = StoreName(select.Container);
        if (select.IndexMin is < 0) throw new SyncRequestException(MeshStatus.BadRequest, $"IndexMin is {select.IndexMin} for store '{store}'; indexes start at 0");
        if (select.IndexMax is < 0) throw new SyncRequestException(MeshStatus.BadRequest, $"IndexMax is {select.IndexMax} for store '{store}'; indexes start at 0");
        if (select.IndexMin is { } min && select.IndexMax is { } max && max < min)
            throw new SyncRequestException(MeshStatus.BadRequest, $"IndexMax {max} is below IndexMin {min} for store '{store}'");
        if (select.NotBefore is { } notBefore && select.Before is { } before && before <= notBefore)
            throw new SyncRequestException(MeshStatus.BadRequest, $"Before ({before:O}) is not after NotBefore ({notBefore:O}) for store '{store}'");
        return new Query(store, select.IndexMin ?? 0, select.IndexMax ?? long.MaxValue, ToUtc(select.NotBefore), ToUtc(select.Before));
    }

    static DateTime? ToUtc(DateTime? time) => time?.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time.Value, DateTimeKind.Utc) : time?.ToUniversalTime();

    static string StoreName(string? name) => StoreNames.Canonical(name)
        ?? throw new SyncRequestException(name is null ? MeshStatus.BadRequest : MeshStatus.NotFound,
            name is null ? "a ConstraintsSelect names no store" : $"account has no store '{name}'");

    /// <summary>The parts ConstraintsData asks for (all when it names none), the payload cut to BytesOffset/BytesMax.</summary>
    static Enveloped Select(Enveloped envelope, ConstraintsData? data, (long Offset, long? Max) slice)
    {
        var any = data?.Header is not null || data?.Payload is not null || data?.Trailer is not null;
        var header = !any || data!.Header == true;
        var payload = !any || data!.Payload == true;
        var trailer = !any || data!.Trailer == true;
        return new Enveloped
        {
            Header = header ? envelope.Header : EmptyHeader,
            Payload = payload ? Slice(envelope.Payload, slice) : null,
            Trailer = trailer ? envelope.Trailer : null,
        };
    }

    static byte[]? Slice(byte[]? payload, (long Offset, long? Max) slice)
    {
        if (payload is null || (slice.Offset == 0 && slice.Max is null)) return payload;
        var start = (int)Math.Min(slice.Offset, payload.Length);
        var length = (int)Math.Min(slice.Max ?? long.MaxValue, payload.Length - start);
        return payload.AsSpan(start, length).ToArray();
    }

    static int Order(string name)
    {
        for (var i = 0; i < StoreNames.All.Count; i++)
            if (StoreNames.All[i] == name) return i;
        return int.MaxValue;
    }

}
