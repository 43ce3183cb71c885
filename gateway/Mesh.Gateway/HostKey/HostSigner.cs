using System.Security.Cryptography;
using Mesh.Account.V1;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
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
    private readonly AgreementKeyPair? _encryption;

    private HostSigner(SignatureKeyPair key, string udf, DareEnvelope profile, string serviceUdf, AgreementKeyPair? encryption, string? encryptionUdf)
    {
        _key = key;
        _encryption = encryption;
        Signer = DareKeyPairs.Signer(key, udf);
        Profile = profile;
        ServiceUdf = serviceUdf;
        Decryption = encryption is null ? null : DareKeyPairs.Decryption(encryption, encryptionUdf);
    }

    public IDareSigner Signer { get; }

    /// <summary>UDF of the service profile: the audience authenticated requests must name (ADR 0005).</summary>
    public string ServiceUdf { get; }

    /// <summary>The host Encryption key that opens requests sent over plain HTTP; null when the account service did not provide it.</summary>
    public IDareDecryptionKey? Decryption { get; }

    /// <summary>The EnvelopedProfileHost this key belongs to.</summary>
    public DareEnvelope Profile { get; }

    // The last answer signed for no request in particular, per media type (index in MeshMediaType.All).
    private readonly SignedAnswer?[] _answers = new SignedAnswer?[MeshMediaType.All.Count];

    private sealed record SignedAnswer(byte[] Json, byte[] Body);

    /// <summary>
    /// The body of an answer bound to no request (Hello): <paramref name="seal"/> signs it, unless the
    /// service's JSON is the same as last time for this media type. The signatures are deterministic
    /// (Ed25519, Ed448), so the kept body is the one signing again would make.
    /// </summary>
    public byte[] SignedBody(byte[] json, MeshMediaType mediaType, Func<byte[], MeshMediaType, HostSigner, byte[]> seal)
    {
        var slot = IndexOf(mediaType);
        if (Volatile.Read(ref _answers[slot]) is { } last && last.Json.AsSpan().SequenceEqual(json)) return last.Body;
        var body = seal(json, mediaType, this);
        Volatile.Write(ref _answers[slot], new SignedAnswer(json, body));
        return body;
    }

    private static int IndexOf(MeshMediaType mediaType)
    {
        for (var i = 0; i < MeshMediaType.All.Count; i++)
            if (ReferenceEquals(MeshMediaType.All[i], mediaType)) return i;
        throw new ArgumentException($"{mediaType.Name} is not one of MeshMediaType.All", nameof(mediaType));
    }

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
        var encryption = OpenEncryptionKey(credential, host, kek);
        return new HostSigner(signing, credential.SignatureKeyUdf, profile, credential.ServiceUdf, encryption,
            encryption is null ? null : credential.EncryptionKeyUdf);
    }

    private static AgreementKeyPair? OpenEncryptionKey(HostCredential credential, ProfileHost host, KeyEncryptionKey kek)
    {
        if (credential.SealedEncryptionKey.IsEmpty) return null;
        var published = (host.Encryption?.PublicParameters as PublicKeyECDH)?.Public
            ?? throw new MeshFormatException("host profile Encryption key has no PublicKeyECDH");
        if (host.Encryption!.Udf != credential.EncryptionKeyUdf)
            throw new MeshCryptoException($"host credential names encryption key {credential.EncryptionKeyUdf}, the profile's Encryption key is {host.Encryption.Udf}");
        var secret = kek.Open(credential.SealedEncryptionKey.Span, credential.EncryptionKeyUdf);
        KeyPair key;
        try
        {
            key = KeyPair.FromPrivate(credential.EncryptionAlgorithm, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
        if (key is not AgreementKeyPair agreement || !agreement.PublicKey.AsSpan().SequenceEqual(published))
        {
            key.Dispose();
            throw new MeshCryptoException("the opened host encryption key does not match the Encryption key of the host profile");
        }
        return agreement;
    }

    public void Dispose()
    {
        _key.Dispose();
        _encryption?.Dispose();
    }
}
