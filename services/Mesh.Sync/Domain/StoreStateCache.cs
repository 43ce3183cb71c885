using System.Collections.Concurrent;
using Mesh.Sync.Storage;

namespace Mesh.Sync.Domain;

/// <summary>
/// The stores of each account (ids, names, frontiers) as this replica last read or wrote them, so a
/// Transact is checked and written in one round trip. A kept row can only be behind the database
/// (it is kept after a commit, and store ids are never reused), and the write checks every row it
/// relies on (StoreSession.AppendIfCurrentAsync), so a stale row costs a read and a second try, never a wrong
/// answer. Transacts of one account take one of <see cref="Stripes"/> locks in this process, so they
/// do not race each other's kept rows.
/// </summary>
public sealed class StoreStateCache
{
    /// <summary>Accounts kept before the cache starts over (a bound on memory, not an eviction policy).</summary>
    public const int Capacity = 10_000;

    const int Stripes = 256;

    private readonly ConcurrentDictionary<string, IReadOnlyList<StoreRow>> _stores = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>The lock that orders this process's Transacts on <paramref name="account"/>.</summary>
    public SemaphoreSlim LockFor(string account) =>
        _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(account) % Stripes)];

    public IReadOnlyList<StoreRow>? Get(string account) => _stores.GetValueOrDefault(account);

    public void Keep(string account, IReadOnlyList<StoreRow> stores)
    {
        if (_stores.Count >= Capacity) _stores.Clear();
        _stores[account] = stores;
    }

    public void Forget(string account) => _stores.TryRemove(account, out _);
}
