using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Client.Profiles;

/// <summary>
/// Signed (and optionally encrypted) DARE envelopes around schema objects: profiles,
/// connections, activations, catalog entries.
/// </summary>
public static class Assertions
{
    /// <summary>The IANA content type the reference writes for Mesh objects (MeshConstantsMiscUnsorted).</summary>
    public const string ObjectContentType = "application/mmm/object";

    static JsonTypeInfo<Enveloped> EnvelopedInfo => (JsonTypeInfo<Enveloped>)MeshJson.Options.GetTypeInfo(typeof(Enveloped));

    /// <summary>
    /// Wraps <paramref name="item"/> (tagged JSON) in an envelope signed by <paramref name="signer"/>
    /// and, when <paramref name="recipient"/> is given, encrypted to it.
    /// </summary>
    public static DareEnvelope Seal(MeshItem item, SignatureKeyPair? signer, AgreementKeyPair? recipient = null)
    {
        var payload = MeshJson.Serialize(item);
        var meta = ContentMeta(item);
        return DareEnvelope.Encode(payload, new DareEnvelopeOptions
        {
            ContentMetaData = meta,
            Signers = signer is null ? [] : [DareKeyPairs.Signer(signer)],
            Recipients = recipient is null ? [] : [DareKeyPairs.Recipient(recipient)],
            DigestAlgorithm = DareAlgorithms.Sha2_512,
        });
    }

    /// <summary>
    /// ContentMeta as the reference writes it: message type, content type, creation time. A device's
    /// catalog entry also names the device UDF as its UniqueId, which the service already knows (it
    /// authenticates the device), so that Status can hand each device its own entry.
    /// </summary>
    static byte[] ContentMeta(MeshItem item)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (item is CatalogedDevice { Udf: { } device }) writer.WriteString("UniqueId", device);
            writer.WriteString("MessageType", MeshSchemaTags.TagOf(item.GetType()));
            writer.WriteString("cty", ObjectContentType);
            writer.WriteString("Created", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"));
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the payload of a plaintext or decrypted envelope as a <typeparamref name="T"/>.</summary>
    public static T Open<T>(DareEnvelope envelope, AgreementKeyPair? decryptionKey = null) where T : MeshItem
    {
        if (envelope.IsEncrypted && decryptionKey is null)
            throw new MeshCryptoException($"the {typeof(T).Name} envelope is encrypted and no decryption key was given");
        var plaintext = envelope.IsEncrypted
            ? envelope.DecryptPayload([DareKeyPairs.Decryption(decryptionKey!)])
            : envelope.Payload;
        return MeshJson.Deserialize<T>(plaintext);
    }

    /// <summary>Checks that <paramref name="envelope"/> carries a valid signature by <paramref name="key"/>.</summary>
    public static void RequireSignedBy(DareEnvelope envelope, SignatureKeyPair key, string what)
    {
        var verifier = DareKeyPairs.Verifier(key);
        var result = envelope.Verify(s => s.KeyIdentifier == verifier.KeyIdentifier ? verifier : null);
        if (!result.DigestMatches || !result.Signatures.Any(s => s.Valid && s.KeyIdentifier == verifier.KeyIdentifier))
            throw new MeshCryptoException($"{what} is not signed by {verifier.KeyIdentifier}: {result.Problem ?? "no signature by that key"}");
    }

    /// <summary>Reads a self-signed profile after checking its signature under its own ProfileSignature key.</summary>
    public static T OpenProfile<T>(DareEnvelope envelope) where T : Profile
    {
        var check = DareSelfSigned.Verify(envelope);
        if (!check.IsValid) throw new MeshCryptoException($"{typeof(T).Name} is not validly self-signed: {check.Problem}");
        return Open<T>(envelope);
    }

    public static Enveloped ToEnveloped(DareEnvelope envelope) =>
        JsonSerializer.Deserialize(envelope.ToJson(), EnvelopedInfo) ?? throw new MeshFormatException("envelope did not convert");

    public static DareEnvelope FromEnveloped(Enveloped enveloped, string what)
    {
        ArgumentNullException.ThrowIfNull(enveloped);
        try
        {
            return DareEnvelope.Decode(JsonSerializer.SerializeToUtf8Bytes(enveloped, EnvelopedInfo));
        }
        catch (MeshException e)
        {
            throw new MeshFormatException($"{what} is not a DARE envelope: {e.Message}", e);
        }
    }
}
