using System.Text.RegularExpressions;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Org.BouncyCastle.Math.EC.Rfc8032;
using Mesh.Core.Udf;
using Encoding = System.Text.Encoding;
using UdfApi = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Dare;

/// <summary>
/// Questions the earlier conformance work left open (docs/conformance.md, "Open questions"):
/// which Ed25519 variant the DARE signed-message example uses, and whether any fingerprint rule
/// reproduces the key Udf values of the seed -09 §7.1 Hello profiles.
/// </summary>
public class DareOpenQuestionTests
{
    static readonly string MessageFile = SharedFiles.Vector("ExamplesDAREMessage.md");

    static DareEnvelope SignedMessage() =>
        DareEnvelope.Decode(Encoding.UTF8.GetBytes(DareVectors.Json(DareVectors.Blocks(MessageFile, "## Signed Message")[^1]).GetRawText()));

    /// <summary>Each RFC 8032 Ed25519 variant, and the two messages DARE could sign (digest or payload).</summary>
    static IEnumerable<(string Variant, bool Valid)> Ed25519Variants(byte[] signature, byte[] publicKey, byte[] digest, byte[] payload)
    {
        yield return ("pure over PayloadDigest", Ed25519.Verify(signature, 0, publicKey, 0, digest, 0, digest.Length));
        yield return ("pure over payload", Ed25519.Verify(signature, 0, publicKey, 0, payload, 0, payload.Length));
        yield return ("ctx(\"\") over PayloadDigest", Ed25519.Verify(signature, 0, publicKey, 0, [], digest, 0, digest.Length));
        yield return ("ctx(\"\") over payload", Ed25519.Verify(signature, 0, publicKey, 0, [], payload, 0, payload.Length));
        // Ed25519ph signs PH(M) = SHA-512(M): over the payload that is the PayloadDigest itself.
        yield return ("ph over payload", Ed25519.VerifyPrehash(signature, 0, publicKey, 0, [], digest, 0));
        var digestOfDigest = System.Security.Cryptography.SHA512.HashData(digest);
        yield return ("ph over PayloadDigest", Ed25519.VerifyPrehash(signature, 0, publicKey, 0, [], digestOfDigest, 0));
    }

    [Fact]
    public void Signed_message_signature_verifies_under_no_Ed25519_variant_though_the_key_matches_its_kid()
    {
        var printed = SignedMessage();
        var signature = printed.Signatures[0];
        var intro = DareVectors.Blocks(MessageFile, "");
        using var key = (SignatureKeyPair)KeyPair.FromPrivate(MeshAlgorithms.Ed25519, DareVectors.PrivateKey(intro[1]));
        // The printed signature key is the signer: its fingerprint is the signature's kid.
        Assert.Equal(signature.KeyIdentifier, UdfApi.KeyFingerprint(key));
        var digest = printed.Trailer!.PayloadDigest!;
        var results = Ed25519Variants(signature.SignatureValue!, key.PublicKey, digest, printed.Payload).ToList();
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.False(r.Valid, $"{r.Variant} verifies"));
    }

    [Fact]
    public void The_variant_checks_accept_a_Ed25519ctx_signature_made_over_the_digest()
    {
        // Control for the test above: the same checks do recognise an Ed25519ctx (empty context) signature.
        var printed = SignedMessage();
        var intro = DareVectors.Blocks(MessageFile, "");
        var seed = DareVectors.PrivateKey(intro[1]);
        var publicKey = new byte[Ed25519.PublicKeySize];
        Ed25519.GeneratePublicKey(seed, 0, publicKey, 0);
        var digest = printed.Trailer!.PayloadDigest!;
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(seed, 0, [], digest, 0, digest.Length, signature, 0);
        var results = Ed25519Variants(signature, publicKey, digest, printed.Payload).ToList();
        Assert.Equal(["ctx(\"\") over PayloadDigest"], results.Where(r => r.Valid).Select(r => r.Variant));
    }

    static byte[] SeedPayload(string after, string before)
    {
        var text = File.ReadAllText(SharedFiles.Seed("mesh-protocol-09-2021-08.txt"));
        var start = text.IndexOf(after, text.IndexOf("7.1.  Service Description\n", StringComparison.Ordinal), StringComparison.Ordinal) + after.Length;
        var end = text.IndexOf(before, start, StringComparison.Ordinal);
        var body = Regex.Replace(text[start..end], @"\n*Hallam-Baker[^\n]*\[Page \d+\]\n\f?\n?Internet-Draft[^\n]*\n", "\n");
        return Encoding.UTF8.GetBytes(body.Trim());
    }

    public static TheoryData<string> HelloKeys => new()
    {
        "Service.ProfileSignature", "Service.ServiceSignature", "Service.ServiceAuthentication", "Service.ServiceEncryption",
        "Host.ProfileSignature", "Host.Signature", "Host.Encryption", "Host.Authentication",
    };

    static KeyData HelloKey(string name)
    {
        var response = MeshJson.Deserialize<MeshHelloResponse>(SeedPayload("The response payload:", "7.2.  Account Creation"));
        var service = response.EnvelopedProfileService!.DecodePayload<ProfileService>();
        var host = response.EnvelopedProfileHost!.DecodePayload<ProfileHost>();
        return name switch
        {
            "Service.ProfileSignature" => service.ProfileSignature!,
            "Service.ServiceSignature" => service.ServiceSignature!,
            "Service.ServiceAuthentication" => service.ServiceAuthentication!,
            "Service.ServiceEncryption" => service.ServiceEncryption!,
            "Host.ProfileSignature" => host.ProfileSignature!,
            "Host.Signature" => host.Signature!,
            "Host.Encryption" => host.Encryption!,
            _ => host.Authentication!,
        };
    }

    /// <summary>RFC 8410 SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID 1.3.101.x }, BIT STRING key }.</summary>
    static byte[] Rfc8410KeyInfo(byte oidLast, byte[] key) =>
        [0x30, (byte)(10 + key.Length), 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, oidLast, 0x03, (byte)(key.Length + 1), 0x00, .. key];

    [Theory]
    [MemberData(nameof(HelloKeys))]
    public void Seed_Hello_key_Udf_is_reproduced_by_neither_the_draft_rule_nor_the_reference_variant(string name)
    {
        var key = HelloKey(name);
        var ecdh = Assert.IsType<PublicKeyECDH>(key.PublicParameters);
        var printed = ecdh.Public!;
        Assert.Equal(57, printed.Length);
        // X448 keys are printed as 57 bytes (u plus 0x80); try them as printed and as RFC 7748's 56-byte u.
        var forms = ecdh.Curve == MeshAlgorithms.X448 ? new[] { printed, printed[..56] } : [printed];
        var encodings = new List<byte[]>();
        foreach (var form in forms)
        {
            encodings.Add(form);
            encodings.Add(PublicKeyInfo.Encode(ecdh.Curve!, form));              // the reference variant (UDFOID, SchemaAliceProfile)
            foreach (byte oid in new byte[] { 0x6E, 0x6F, 0x70, 0x71 })           // X25519, X448, Ed25519, Ed448 (RFC 8410)
            {
                encodings.Add(Rfc8410KeyInfo(oid, form));                         // the draft text's KeyInfo
                var variant = PublicKeyInfo.Encode(ecdh.Curve!, form);
                variant[8] = oid;                                                 // reference wrapping, curve's own OID
                encodings.Add(variant);
            }
        }
        string[] contentTypes = [UdfContentTypes.KeyInfo, "application/pkix-keyinfo", "application/pkix-key", UdfContentTypes.OctetStream, ""];
        var candidates = contentTypes.SelectMany(type => encodings.Select(e => UdfApi.ContentDigest(e, type))).ToList();
        Assert.Equal(contentTypes.Length * encodings.Count, candidates.Count);
        Assert.DoesNotContain(key.Udf, candidates);
    }

    [Fact]
    public void The_reference_variant_does_reproduce_the_2024_SchemaAliceProfile_key_Udf()
    {
        // Control for the theory above: the same code reproduces a 2024 fingerprint of a 57-byte X448 key.
        var text = File.ReadAllText(SharedFiles.Vector("SchemaAliceProfile.md"));
        var m = Regex.Match(text, "\"Udf\":\"([A-Z2-7-]+)\",\\s*\"PublicParameters\":\\{\\s*\"PublicKeyECDH\":\\{\\s*\"crv\":\"X448\",\\s*\"Public\":\"([^\"]+)\"");
        Assert.True(m.Success);
        var publicKey = Base64Url.Decode(string.Concat(m.Groups[2].Value.Where(c => !char.IsWhiteSpace(c))));
        Assert.Equal(57, publicKey.Length);
        Assert.Equal(m.Groups[1].Value, UdfApi.ContentDigest(PublicKeyInfo.Encode(MeshAlgorithms.X448, publicKey), UdfContentTypes.KeyInfo));
    }
}
