using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Tests.Dare;

public class DareEnvelopeTests
{
    [Theory]
    [InlineData("X25519", "Ed25519")]
    [InlineData("X448", "Ed448")]
    public void Encrypted_and_signed_envelope_round_trips_in_both_encodings(string agreement, string signature)
    {
        using var recipient = (AgreementKeyPair)KeyPair.Generate(agreement);
        using var signer = (SignatureKeyPair)KeyPair.Generate(signature);
        var plaintext = Encoding.UTF8.GetBytes("attack at dawn, bring annotations");
        var envelope = DareEnvelope.Encode(plaintext, new DareEnvelopeOptions
        {
            Recipients = [DareKeyPairs.Recipient(recipient)],
            Signers = [DareKeyPairs.Signer(signer)],
            Annotations = [Encoding.UTF8.GetBytes("Subject: secret")],
        });
        foreach (var bytes in new[] { envelope.ToJson(), envelope.ToJsonB() })
        {
            var decoded = DareEnvelope.Decode(bytes);
            Assert.True(decoded.EnsureValid(_ => DareKeyPairs.Verifier(signer)).IsValid);
            Assert.Equal(plaintext, decoded.DecryptPayload([DareKeyPairs.Decryption(recipient)]));
            Assert.Equal("Subject: secret", Encoding.UTF8.GetString(decoded.DecodeAnnotations([DareKeyPairs.Decryption(recipient)])[0]));
        }
    }

    [Fact]
    public void Wrong_recipient_key_is_a_crypto_error_naming_the_recipients()
    {
        using var recipient = (AgreementKeyPair)KeyPair.Generate("X25519");
        using var other = (AgreementKeyPair)KeyPair.Generate("X25519");
        var envelope = DareEnvelope.Encode([1, 2, 3], new DareEnvelopeOptions { Recipients = [DareKeyPairs.Recipient(recipient)] });
        var e = Assert.Throws<MeshCryptoException>(() => envelope.DecryptPayload([DareKeyPairs.Decryption(other)]));
        Assert.Contains("no decryption key", e.Message);
    }

    [Fact]
    public void Signature_by_another_key_is_rejected_with_a_message()
    {
        using var signer = (SignatureKeyPair)KeyPair.Generate("Ed25519");
        using var other = (SignatureKeyPair)KeyPair.Generate("Ed25519");
        var envelope = DareEnvelope.Encode([1, 2, 3], new DareEnvelopeOptions { Signers = [DareKeyPairs.Signer(signer)] });
        var kid = envelope.Signatures[0].KeyIdentifier!;
        var e = Assert.Throws<MeshCryptoException>(() => envelope.EnsureValid(_ => DareKeyPairs.Verifier(other, kid)));
        Assert.Contains("does not verify", e.Message);
    }

    [Fact]
    public void Large_payload_streams_through_encode_and_decode()
    {
        using var recipient = (AgreementKeyPair)KeyPair.Generate("X25519");
        using var signer = (SignatureKeyPair)KeyPair.Generate("Ed25519");
        var plaintext = new byte[3_000_001];
        new Random(7).NextBytes(plaintext);
        foreach (var encoding in new[] { DareEncoding.Json, DareEncoding.JsonB })
        {
            var encoded = new MemoryStream();
            var (_, trailer) = DareEnvelopeWriter.Encode(new MemoryStream(plaintext), plaintext.Length, encoded,
                new DareEnvelopeOptions { Recipients = [DareKeyPairs.Recipient(recipient)], Signers = [DareKeyPairs.Signer(signer)] }, encoding);
            encoded.Position = 0;
            var decoded = new MemoryStream();
            var result = DareEnvelopeReader.Read(encoded, decoded, new DareReadOptions { DecryptionKeys = [DareKeyPairs.Decryption(recipient)] });
            Assert.Equal(encoding, result.Encoding);
            Assert.Equal(trailer!.PayloadDigest, result.ComputedDigest);
            Assert.Equal(plaintext, decoded.ToArray());
        }
    }

    [Fact]
    public void Header_with_JSON_B_values_is_read_through_the_transcoder()
    {
        var envelope = DareEnvelope.Encode(Encoding.UTF8.GetBytes("hi"), new DareEnvelopeOptions { DigestAlgorithm = "S512", EnvelopeId = "MBBY-TEST" });
        var jsonBHeader = Mesh.Core.Json.JsonTranscoder.ToJsonB(envelope.Header.ToJson());
        var bytes = new List<byte> { (byte)'[' };
        bytes.AddRange(jsonBHeader);
        bytes.AddRange(envelope.ToJsonB().AsSpan(1 + envelope.Header.ToJson().Length).ToArray());
        var decoded = DareEnvelope.Decode(bytes.ToArray());
        Assert.Equal("MBBY-TEST", decoded.Header.EnvelopeId);
        Assert.True(decoded.Verify(_ => null).DigestMatches);
    }

    [Fact]
    public void Truncated_envelope_is_a_format_error_with_a_position()
    {
        var bytes = DareEnvelope.Encode([1, 2, 3], new DareEnvelopeOptions { DigestAlgorithm = "S512" }).ToJson();
        var e = Assert.Throws<MeshFormatException>(() => DareEnvelope.Decode(bytes[..^5]));
        Assert.Contains("malformed DARE envelope at byte", e.Message);
    }

    /// <summary>
    /// Random single-byte changes, insertions, deletions and truncations of valid signed
    /// envelopes: each result throws a MeshException, verifies as invalid, or carries exactly the
    /// signed payload. (Header fields such as ContentMetaData are not under the signature: the
    /// signature covers the payload digest only, as in the seed's profiles.)
    /// </summary>
    [Theory]
    [InlineData(DareEncoding.Json)]
    [InlineData(DareEncoding.JsonB)]
    public void Random_mutations_are_rejected_with_a_mesh_exception_or_change_nothing(DareEncoding encoding)
    {
        using var signer = (SignatureKeyPair)KeyPair.Generate("Ed25519");
        var verifier = DareKeyPairs.Verifier(signer);
        var original = DareEnvelope.Encode(Encoding.UTF8.GetBytes("{\"Payload\":\"mutate me, please\"}"), new DareEnvelopeOptions
        {
            Signers = [DareKeyPairs.Signer(signer)],
            ContentMetaData = Encoding.UTF8.GetBytes("{\"cty\":\"application/json\"}"),
        });
        var valid = original.ToBytes(encoding);

        var random = new Random(20240601);
        for (var round = 0; round < 2500; round++)
        {
            var bytes = valid.ToList();
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
            try
            {
                var decoded = DareEnvelope.Decode(bytes.ToArray());
                var result = decoded.Verify(_ => verifier);
                if (result.IsValid) Assert.Equal(original.Payload, decoded.Payload);
            }
            catch (MeshException)
            {
            }
        }
    }
}
