using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Tests.Dare;

/// <summary>ExamplesDAREMessage.md, ExamplesDAREMessageEDS.md, ExamplesDAREMessageMail.md.</summary>
public class DareMessageVectorTests
{
    static readonly string MessageFile = SharedFiles.Vector("ExamplesDAREMessage.md");
    static readonly List<string> Intro = DareVectors.Blocks(MessageFile, "");

    static byte[] Body => Encoding.UTF8.GetBytes(Intro[2].Trim().Trim('"'));

    static string[] EdsStrings => Intro[3].Split('\n').Select(l => l.Trim().Trim('"')).ToArray();

    static DareEnvelope Printed(string heading)
    {
        var json = DareVectors.Json(DareVectors.Blocks(MessageFile, heading)[^1]);
        return DareEnvelope.Decode(Encoding.UTF8.GetBytes(json.GetRawText()));
    }

    [Fact]
    public void Plaintext_message_is_an_empty_header_and_the_body()
    {
        var printed = Printed("## Plaintext Message\n");
        var ours = DareEnvelope.Encode(Body, new DareEnvelopeOptions());
        Assert.Equal(printed.Payload, ours.Payload);
        Assert.Equal("{}", Encoding.UTF8.GetString(ours.Header.ToJson()));
        Assert.Equal("{}", Encoding.UTF8.GetString(printed.Header.ToJson()));
    }

    [Fact]
    public void Plaintext_message_with_EDS_reproduces_the_annotations()
    {
        var printed = Printed("## Plaintext Message with EDS");
        var ours = DareEnvelope.Encode(Body, new DareEnvelopeOptions { Annotations = EdsStrings.Select(Encoding.UTF8.GetBytes).ToList() });
        Assert.Equal(printed.Header.Annotations!, ours.Header.Annotations!);
        Assert.Equal(printed.Payload, ours.Payload);
        Assert.Equal(EdsStrings, printed.DecodeAnnotations().Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void EDS_example_encodes_the_From_header_with_salt_prefix_zero()
    {
        var hex = DareVectors.Blocks(SharedFiles.Vector("ExamplesDAREMessageEDS.md"), "")[0].Replace("[EOF]", "");
        var from = DareVectors.Blocks(SharedFiles.Vector("ExamplesDAREMessageMail.md"), "")[0].Split('\n')[0].Trim();
        Assert.Equal(DareVectors.Hex(hex), DareEds.Encode(DareEds.PrefixFor(0), Encoding.UTF8.GetBytes(from)));
    }

    [Fact]
    public void Mail_example_plaintext_envelope_is_reproduced()
    {
        var blocks = DareVectors.Blocks(SharedFiles.Vector("ExamplesDAREMessageMail.md"), "");
        var lines = blocks[0].Split('\n').Select(l => l.Trim()).ToList();
        var headers = lines.TakeWhile(l => l.Length > 0).ToList();
        var body = lines.SkipWhile(l => l.Length > 0).Skip(1).First();
        var printed = DareEnvelope.Decode(Encoding.UTF8.GetBytes(DareVectors.Json(blocks[1]).GetRawText()));
        var ours = DareEnvelope.Encode(Encoding.UTF8.GetBytes(body), new DareEnvelopeOptions
        {
            Annotations = headers.Select(Encoding.UTF8.GetBytes).ToList(),
            ContentMetaData = printed.Header.ContentMetaData,
        });
        Assert.Equal(printed.Header.Annotations!, ours.Header.Annotations!);
        Assert.Equal(printed.Payload, ours.Payload);
        Assert.Equal(printed.Header.ToJson(), ours.Header.ToJson());
    }

    [Fact]
    public void Encrypted_message_payload_reproduces_under_the_reference_labels()
    {
        var b = DareVectors.Blocks(MessageFile, "## Encrypted Message");
        var (seed, agreement, kek, salt, key, iv, cipher) =
            (DareVectors.Hex(b[0]), DareVectors.Hex(b[2]), DareVectors.Hex(b[3]), DareVectors.Hex(b[5]), DareVectors.Hex(b[6]), DareVectors.Hex(b[7]), DareVectors.Hex(b[8]));
        var reference = DareKeyDerivation.Reference2024;
        Assert.Equal(key, reference.EncryptionKey(seed, salt));
        Assert.Equal(iv, reference.InitializationVector(seed, salt));
        Assert.Equal(kek, reference.WrappingKey(agreement));
        Assert.Equal(cipher, AesCbc.Encrypt(key, iv, Body));

        var printed = Printed("## Encrypted Message");
        Assert.Equal(salt, printed.Header.Salt);
        Assert.Equal(cipher, printed.Payload);

        var ours = DareEnvelope.Encode(Body, new DareEnvelopeOptions
        {
            Derivation = reference, MasterKey = seed, Salt = salt,
            Recipients = [new FixedAgreement(printed.Header.Recipients![0].KeyIdentifier!, agreement)],
        });
        Assert.Equal(cipher, ours.Payload);
    }

    [Fact]
    public void Encrypted_message_does_not_follow_the_spec_labels()
    {
        var b = DareVectors.Blocks(MessageFile, "## Encrypted Message");
        var (seed, agreement, kek, salt, key) = (DareVectors.Hex(b[0]), DareVectors.Hex(b[2]), DareVectors.Hex(b[3]), DareVectors.Hex(b[5]), DareVectors.Hex(b[6]));
        Assert.NotEqual(key, DareKeyDerivation.Specification.EncryptionKey(seed, salt));
        Assert.NotEqual(kek, DareKeyDerivation.Specification.WrappingKey(agreement));
    }

    [Fact]
    public void Encrypted_message_wrapped_seed_and_agreement_are_not_reproducible()
    {
        var b = DareVectors.Blocks(MessageFile, "## Encrypted Message");
        var (seed, ephemeral, agreement, kek, wrapped) = (DareVectors.Hex(b[0]), DareVectors.PrivateKey(b[1]), DareVectors.Hex(b[2]), DareVectors.Hex(b[3]), DareVectors.Hex(b[4]));
        // The printed wrapped value unwraps under the printed KEK, but not to the printed base seed.
        Assert.NotEqual(seed, AesKeyWrap.Unwrap(kek, wrapped));
        Assert.NotEqual(wrapped, AesKeyWrap.Wrap(kek, seed));
        // The keys are printed with crv Ed25519; read as X25519 scalars they do not give the printed agreement.
        using var alice = (AgreementKeyPair)KeyPair.FromPrivate(MeshAlgorithms.X25519, DareVectors.PrivateKey(Intro[0]));
        using var eph = (AgreementKeyPair)KeyPair.FromPrivate(MeshAlgorithms.X25519, ephemeral);
        Assert.NotEqual(agreement, eph.Agree(alice.PublicKey));
    }

    [Fact]
    public void Signed_message_payload_digest_is_SHA512_of_the_payload()
    {
        var printed = Printed("## Signed Message");
        Assert.Equal("S512", printed.Header.DigestAlgorithm);
        Assert.Equal(SHA512.HashData(Body), printed.Trailer!.PayloadDigest);
        var signedEncrypted = Printed("## Signed and Encrypted Message");
        Assert.Equal(SHA512.HashData(signedEncrypted.Payload), signedEncrypted.Trailer!.PayloadDigest);
    }

    [Fact]
    public void Signed_message_signature_does_not_verify_under_the_printed_key()
    {
        var printed = Printed("## Signed Message");
        using var key = (SignatureKeyPair)KeyPair.FromPrivate(MeshAlgorithms.Ed25519, DareVectors.PrivateKey(Intro[1]));
        var signature = printed.Signatures[0];
        var result = printed.Verify(_ => DareKeyPairs.Verifier(key, signature.KeyIdentifier));
        Assert.True(result.DigestMatches);
        Assert.False(result.Signatures[0].Valid);
        // Nor as a signature over the payload itself, nor is it what this key makes.
        Assert.False(key.Verify(printed.Payload, signature.SignatureValue));
        Assert.NotEqual(signature.SignatureValue, key.Sign(printed.Trailer!.PayloadDigest!));
    }

    sealed class FixedAgreement(string kid, byte[] agreement) : IDareRecipientKey
    {
        public string KeyIdentifier => kid;
        public string Curve => MeshAlgorithms.X25519;
        public (byte[] EphemeralPublic, byte[] Agreement) AgreeEphemeral() => (new byte[32], agreement.ToArray());
    }
}
