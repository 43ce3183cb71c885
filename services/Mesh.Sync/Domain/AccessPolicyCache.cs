using System.Collections.Concurrent;
using Mesh.Sync.Storage;

namespace Mesh.Sync.Domain;

/// <summary>
/// The Access policy of each Access store at each entry count it was seen at, read and parsed once
/// rather than on every Status, Download and Transact of the account. Entries 0..count-1 of a store
/// never change and store ids are never reused, so (store id, count) names one policy on every replica.
/// </summary>
public sealed class AccessPolicyCache
{
    /// <summary>Policies kept before the cache starts over (a bound on memory, not an eviction policy).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(long StoreId, long Count), AccessPolicy> _policies = new();

    /// <summary>The caller's rights from the Access store of <paramref name="stores"/>, as of its row's count.</summary>
    public async Task<AccessRights> RightsAsync(StoreSession session, SyncCaller caller, IEnumerable<StoreRow> stores, CancellationToken cancellationToken)
    {
        var access = stores.FirstOrDefault(s => s.Name == AccessRights.AccessStore);
        if (access is null || access.Frontier.Count == 0) return AccessRights.Full;
        var key = (access.StoreId, access.Frontier.Count);
        if (!_policies.TryGetValue(key, out var policy))
        {
            var entries = await session.ReadEntriesAsync(access.StoreId, 0, access.Frontier.Count - 1, null, null, int.MaxValue, cancellationToken);
            policy = AccessPolicy.Read(entries.Select(e => e.Envelope));
            if (_policies.Count >= Capacity) _policies.Clear();
            _policies[key] = policy;
        }
        return policy.RightsOf(caller.DeviceUdf);
    }
}
