using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Encoding = System.Text.Encoding;

namespace Mesh.Integration.Tests.Support;

/// <summary>Request envelopes as a client makes them, and the checks a client makes on responses.</summary>
internal static class MeshMessages
{
    public static byte[] Envelope(string payloadJson, DareEncoding encoding = DareEncoding.Json) =>
        Envelope(Encoding.UTF8.GetBytes(payloadJson), encoding);

    public static byte[] Envelope(byte[] payload, DareEncoding encoding = DareEncoding.Json) =>
        DareEnvelope.Encode(payload, new DareEnvelopeOptions()).ToBytes(encoding);

    /// <summary>The response envelope, its payload, and whether the host key of <paramref name="hello"/> signed it.</summary>
    public static (DareEnvelope Envelope, MeshItem Payload) Open(byte[] body) =>
        DareEnvelope.Decode(body) is var envelope ? (envelope, MeshJson.Deserialize(envelope.Payload)) : default;

    /// <summary>Checks the response signature against the Signature key of the (self-signed, verified) host profile.</summary>
    public static DareVerification VerifyWithHostProfile(DareEnvelope response, Enveloped profileHost)
    {
        var profileEnvelope = DareEnvelope.Decode(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(profileHost, MeshJson.Options));
        var selfSigned = DareSelfSigned.Verify(profileEnvelope);
        if (!selfSigned.IsValid) throw new InvalidOperationException("host profile does not verify: " + selfSigned.Problem);
        var signature = profileHost.DecodePayload<ProfileHost>().Signature!;
        var ecdh = (PublicKeyECDH)signature.PublicParameters!;
        using var key = (SignatureKeyPair)KeyPair.FromPublic(ecdh.Curve!, ecdh.Public!);
        var verifier = DareKeyPairs.Verifier(key, signature.Udf);
        return response.Verify(s => s.KeyIdentifier == signature.Udf ? verifier : null);
    }
}
