using System.Security.Cryptography;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.Storage;

namespace Mesh.Sync.Domain;

/// <summary>A public key allowed to sign apex values, as the account service hands it over.</summary>
public sealed record ApexKeyInput(string Algorithm, byte[] PublicKey);

/// <summary>Creates and removes the stores of an account when it is bound and unbound (called by the account service).</summary>
public sealed class StoreProvisioning(StoreRepository repository, StoreStateCache stateCache)
{
    /// <param name="profileAccount">The bound ProfileUser envelope (JSON), which Status hands to devices; none when empty.</param>
    public async Task<int> CreateStoresAsync(string account, string accountUdf, IReadOnlyList<ApexKeyInput> apexKeys, byte[] profileAccount,
        CancellationToken cancellationToken)
    {
        CheckAccount(account);
        if (string.IsNullOrWhiteSpace(accountUdf))
            throw new SyncRequestException(MeshStatus.BadRequest, $"CreateStores for '{account}' names no account UDF");
        var keys = apexKeys.Select(ToRow).ToList();
        var stores = StoreNames.All.Select(name => (name, StoreNames.KindOf(name))).ToList();
        var profile = profileAccount.Length == 0 ? null : ProfileRow(profileAccount, accountUdf);
        var created = await repository.CreateStoresAsync(account, accountUdf, stores, keys, profile, cancellationToken);
        stateCache.Forget(account);
        return created;
    }

    // The account service checked the profile's signature at BindAccount; this only makes sure it is
    // the profile of the account UDF the stores are made for.
    static AccountProfileRow ProfileRow(byte[] envelope, string accountUdf)
    {
        try
        {
            var payload = DareEnvelope.Decode(envelope).Payload;
            var profile = MeshJson.Deserialize<ProfileUser>(payload);
            if (profile.ProfileSignature?.Udf != accountUdf)
                throw new SyncRequestException(MeshStatus.BadRequest, $"the account profile is for {profile.ProfileSignature?.Udf ?? "no UDF"}, not {accountUdf}");
            return new AccountProfileRow(envelope, SHA512.HashData(payload));
        }
        catch (MeshException e)
        {
            throw new SyncRequestException(MeshStatus.BadRequest, $"the account profile is not a ProfileUser envelope: {e.Message}");
        }
    }

    public async Task<int> DeleteStoresAsync(string account, string? accountUdf, CancellationToken cancellationToken)
    {
        CheckAccount(account);
        var deleted = await repository.DeleteStoresAsync(account, accountUdf, cancellationToken);
        // Kept rows of removed stores would only cost a failed write; forgetting them saves it.
        stateCache.Forget(account);
        return deleted;
    }

    static void CheckAccount(string account)
    {
        if (string.IsNullOrWhiteSpace(account) || !account.Contains('@'))
            throw new SyncRequestException(MeshStatus.BadRequest, $"'{account}' is not an account address (name@domain)");
    }

    // The key identifier is computed from the key, so a caller cannot bind a kid to someone else's key.
    static ApexKeyRow ToRow(ApexKeyInput input)
    {
        try
        {
            if (KeyPair.FromPublic(input.Algorithm, input.PublicKey) is not SignatureKeyPair key)
                throw new SyncRequestException(MeshStatus.BadRequest, $"apex key algorithm '{input.Algorithm}' is not a signature algorithm");
            return new ApexKeyRow(Mesh.Core.Udf.Udf.KeyFingerprint(key), key.Algorithm, input.PublicKey);
        }
        catch (MeshException e)
        {
            throw new SyncRequestException(MeshStatus.BadRequest, $"apex key is not usable: {e.Message}");
        }
    }
}
