using System.Security.Cryptography;
using Mesh.Client.Accounts;
using Mesh.Client.Profiles;
using Mesh.Core;
using Mesh.Core.Schema;

namespace Mesh.Client.Sync;

/// <summary>
/// The StatusRequest of an account and the checks on its answer (protocol -09 §7.3.1): the request
/// names the digest of the profile this device holds, so the service sends the profile only when it
/// holds another; a profile it does send must be this account's, validly self-signed.
/// </summary>
public static class AccountStatusCheck
{
    public static StatusRequest Request(MeshAccount account) => new()
    {
        Account = account.Address,
        ProfileMasterDigest = SHA512.HashData(account.ProfileUserEnvelope.Payload),
    };

    public static StatusResponse Check(MeshAccount account, StatusResponse status)
    {
        if (status.EnvelopedProfileAccount is { } enveloped)
        {
            var profile = Assertions.OpenProfile<ProfileUser>(Assertions.FromEnveloped(enveloped, "EnvelopedProfileAccount"));
            if (profile.ProfileSignature?.Udf != account.ProfileUdf)
                throw new MeshCryptoException(
                    $"the service presents the profile {profile.ProfileSignature?.Udf} for {account.Address}, which this device holds as {account.ProfileUdf}");
        }
        return status;
    }
}
