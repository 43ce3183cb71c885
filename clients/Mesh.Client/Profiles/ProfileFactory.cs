using Mesh.Client.Keys;
using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Client.Profiles;

/// <summary>Builds the self-signed profiles of a device and of a user account from their key sets.</summary>
public static class ProfileFactory
{
    /// <summary>ProfileDevice: ProfileSignature, Encryption, Signature, Authentication; signed by ProfileSignature.</summary>
    public static DareEnvelope Device(ProfileKeySet keys, string? description = null)
    {
        Require(keys, MeshActor.Device);
        var profile = new ProfileDevice
        {
            Description = description,
            ProfileSignature = KeyDataConvert.Public(keys.ProfileSignature),
            Encryption = KeyDataConvert.Public(keys.Agreement(MeshKeyOperation.Encrypt)),
            Signature = KeyDataConvert.Public(keys.Signature(MeshKeyOperation.Sign)),
            Authentication = KeyDataConvert.Public(keys.Agreement(MeshKeyOperation.Authenticate)),
        };
        return Assertions.Seal(profile, keys.ProfileSignature);
    }

    /// <summary>
    /// ProfileUser with the fields SchemaAliceProfile shows (CommonSignature, AccountAddress,
    /// ServiceUdf, EscrowEncryption, AdministratorSignature, CommonEncryption, CommonAuthentication)
    /// plus ProfileSignature, which a profile must carry to be verifiable (schema §Mesh Profiles).
    /// </summary>
    public static DareEnvelope User(ProfileKeySet keys, string accountAddress, string? serviceUdf)
    {
        Require(keys, MeshActor.Account);
        var profile = new ProfileUser
        {
            ProfileSignature = KeyDataConvert.Public(keys.ProfileSignature),
            CommonSignature = KeyDataConvert.Public(keys.Signature(MeshKeyOperation.Sign)),
            AccountAddress = accountAddress,
            ServiceUdf = serviceUdf,
            EscrowEncryption = KeyDataConvert.Public(keys.Agreement(MeshKeyOperation.Escrow)),
            AdministratorSignature = KeyDataConvert.Public(keys.Signature(MeshKeyOperation.AdminSign)),
            CommonEncryption = KeyDataConvert.Public(keys.Agreement(MeshKeyOperation.Encrypt)),
            CommonAuthentication = KeyDataConvert.Public(keys.Agreement(MeshKeyOperation.Authenticate)),
        };
        return Assertions.Seal(profile, keys.ProfileSignature);
    }

    static void Require(ProfileKeySet keys, MeshActor actor)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Actor != actor) throw new MeshClientException($"a {actor} profile needs {actor} keys, not {keys.Actor} keys");
    }
}
