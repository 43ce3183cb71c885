using System.Collections.Concurrent;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Sync.Storage;

namespace Mesh.Sync.Domain;

/// <summary>
/// The verifiers of an account's apex keys (the administration keys CreateStores recorded), made once
/// per set of stores rather than read and parsed on every Transact. An account's keys are written
/// when its stores are created and deleted with them; stores created again get new store ids, so
/// keying by the first store id never serves the keys of stores that are gone.
/// </summary>
public sealed class ApexKeyCache
{
    /// <summary>Accounts kept before the cache starts over (a bound on memory, not an eviction policy).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<(string Account, long FirstStoreId), IReadOnlyDictionary<string, IDareVerifier>> _keys = new();

    public async Task<IReadOnlyDictionary<string, IDareVerifier>> GetAsync(StoreSession session, string account, long firstStoreId,
        CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue((account, firstStoreId), out var kept)) return kept;
        var rows = await session.ReadApexKeysAsync(account, cancellationToken);
        var verifiers = rows.ToDictionary(k => k.KeyIdentifier,
            k => DareKeyPairs.Verifier((SignatureKeyPair)KeyPair.FromPublic(k.Algorithm, k.PublicKey), k.KeyIdentifier), StringComparer.Ordinal);
        if (_keys.Count >= Capacity) _keys.Clear();
        _keys[(account, firstStoreId)] = verifiers;
        return verifiers;
    }
}
