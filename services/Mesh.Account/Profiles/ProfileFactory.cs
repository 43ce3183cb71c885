using System.Text.Json;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Account.Profiles;

/// <summary>
/// Makes the service profile (ProfileService) and host profile (ProfileHost) with fresh keys, each
/// signed by its own ProfileSignature key as in protocol -09 §7.1: EnvelopeId and signature kid are
/// the UDF of that key, ContentMetaData names the profile type.
/// </summary>
public static class ProfileFactory
{
    /// <summary>The profile signature curve: Ed448, as the seed's service and host profiles use.</summary>
    public const string ProfileSignatureAlgorithm = MeshAlgorithms.Ed448;

    public sealed record Made(DareEnvelope Envelope, IReadOnlyList<ProfileKey> Keys) : IDisposable
    {
        public string Udf => Keys.Single(k => k.Usage == KeyUsages.ProfileSignature).Udf;

        public void Dispose()
        {
            foreach (var key in Keys) key.Key.Dispose();
        }
    }

    public static Made CreateService()
    {
        var keys = new[]
        {
            Generate(KeyUsages.ProfileSignature, ProfileSignatureAlgorithm),
            Generate(KeyUsages.ServiceSignature, MeshAlgorithms.Ed448),
            Generate(KeyUsages.ServiceAuthentication, MeshAlgorithms.X448),
            Generate(KeyUsages.ServiceEncryption, MeshAlgorithms.X448),
        };
        var profile = new ProfileService
        {
            ProfileSignature = KeyDataOf(keys[0]),
            ServiceSignature = KeyDataOf(keys[1]),
            ServiceAuthentication = KeyDataOf(keys[2]),
            ServiceEncryption = KeyDataOf(keys[3]),
        };
        return new Made(Sign(profile, keys[0]), keys);
    }

    /// <param name="signatureAlgorithm">The host's response-signing key: Ed25519 (default, fast) or Ed448.</param>
    public static Made CreateHost(string signatureAlgorithm)
    {
        var signing = MeshAlgorithms.KeyAlgorithm(signatureAlgorithm);
        if (signing is not (MeshAlgorithms.Ed25519 or MeshAlgorithms.Ed448))
            throw new ArgumentException($"host signature algorithm must be Ed25519 or Ed448, not {signatureAlgorithm}", nameof(signatureAlgorithm));
        var agreement = signing == MeshAlgorithms.Ed25519 ? MeshAlgorithms.X25519 : MeshAlgorithms.X448;
        var keys = new[]
        {
            Generate(KeyUsages.ProfileSignature, ProfileSignatureAlgorithm),
            Generate(KeyUsages.Signature, signing),
            Generate(KeyUsages.Encryption, agreement),
            Generate(KeyUsages.Authentication, agreement),
        };
        var profile = new ProfileHost
        {
            ProfileSignature = KeyDataOf(keys[0]),
            Signature = KeyDataOf(keys[1]),
            Encryption = KeyDataOf(keys[2]),
            Authentication = KeyDataOf(keys[3]),
        };
        return new Made(Sign(profile, keys[0]), keys);
    }

    private static ProfileKey Generate(string usage, string algorithm)
    {
        var key = KeyPair.Generate(algorithm);
        return new ProfileKey(usage, Core.Udf.Udf.KeyFingerprint(key), key);
    }

    private static KeyData KeyDataOf(ProfileKey key) => new()
    {
        Udf = key.Udf,
        PublicParameters = new PublicKeyECDH { Curve = key.Key.Algorithm, Public = key.Key.PublicKey },
    };

    private static DareEnvelope Sign(Profile profile, ProfileKey profileSignature)
    {
        var payload = MeshJson.Serialize(profile);
        return DareEnvelope.Encode(payload, new DareEnvelopeOptions
        {
            EnvelopeId = profileSignature.Udf,
            ContentMetaData = ContentMeta(profileSignature.Udf, profile.MeshTag),
            Signers = [DareKeyPairs.Signer((SignatureKeyPair)profileSignature.Key, profileSignature.Udf)],
        });
    }

    // The ContentMetaData of the seed's profiles: UniqueId, MessageType, cty, Created.
    private static byte[] ContentMeta(string uniqueId, string messageType)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("UniqueId", uniqueId);
            writer.WriteString("MessageType", messageType);
            writer.WriteString("cty", "application/mmm/object");
            writer.WriteString("Created", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
