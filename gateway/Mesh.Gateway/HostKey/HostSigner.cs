using System.Security.Cryptography;
using Mesh.Account.V1;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.ServiceDefaults.Security;

namespace Mesh.Gateway.HostKey;

/// <summary>
/// The host signature key, checked against the host profile it belongs to: the profile verifies
/// under its own ProfileSignature key, its Signature key has the UDF the credential names, and the
/// opened private key has that public key.
/// </summary>
public sealed class HostSigner : IDisposable
{
    private readonly SignatureKeyPair _key;

    private HostSigner(SignatureKeyPair key, string udf, DareEnvelope profile)
    {
        _key = key;
        Signer = DareKeyPairs.Signer(key, udf);
        Profile = profile;
    }

    public IDareSigner Signer { get; }

    /// <summary>The EnvelopedProfileHost this key belongs to.</summary>
    public DareEnvelope Profile { get; }

    public static HostSigner Open(HostCredential credential, KeyEncryptionKey kek)
    {
        var profile = DareEnvelope.Decode(credential.EnvelopedProfileHost.Span);
        var verification = DareSelfSigned.Verify(profile);
        if (!verification.IsValid) throw new MeshCryptoException($"host profile does not verify: {verification.Problem}");
        var host = MeshJson.Deserialize<ProfileHost>(profile.Payload);
        var signature = host.Signature ?? throw new MeshFormatException("host profile has no Signature key");
        if (signature.Udf != credential.SignatureKeyUdf)
            throw new MeshCryptoException($"host credential names key {credential.SignatureKeyUdf}, the profile's Signature key is {signature.Udf}");
        var published = (signature.PublicParameters as PublicKeyECDH)?.Public
            ?? throw new MeshFormatException("host profile Signature key has no PublicKeyECDH");
        var secret = kek.Open(credential.SealedSignatureKey.Span, credential.SignatureKeyUdf);
        KeyPair key;
        try
        {
            key = KeyPair.FromPrivate(credential.SignatureAlgorithm, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        if (key is not SignatureKeyPair signing || !signing.PublicKey.AsSpan().SequenceEqual(published))
        {
            key.Dispose();
            throw new MeshCryptoException("the opened host key does not match the Signature key of the host profile");
        }
        return new HostSigner(signing, credential.SignatureKeyUdf, profile);
    }

    public void Dispose() => _key.Dispose();
}
