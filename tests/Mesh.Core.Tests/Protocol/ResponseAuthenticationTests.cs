using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Protocol;

using UdfCodec = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Protocol;

public sealed class ResponseAuthenticationTests : IDisposable
{
    static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"StatusResponse\":{\"Status\":200}}");
    readonly SignatureKeyPair host = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);

    public void Dispose() => host.Dispose();

    [Fact]
    public void A_response_signed_by_the_host_for_the_request_just_sent_is_accepted()
    {
        var requestId = UdfCodec.Nonce(128);
        var envelope = DareEnvelope.Decode(ResponseEnvelope.Seal(Payload, DareKeyPairs.Signer(host), requestId).ToJson());

        var manifest = ResponseEnvelope.Verify(envelope, DareKeyPairs.Verifier(host), requestId);
        Assert.Equal(requestId, manifest.RequestId);
        Assert.Equal(SHA512.HashData(Payload), manifest.PayloadDigest);
    }

    [Fact]
    public void A_response_to_another_request_is_refused_so_a_replayed_response_fails()
    {
        var envelope = ResponseEnvelope.Seal(Payload, DareKeyPairs.Signer(host), UdfCodec.Nonce(128));
        var error = Assert.Throws<MeshAuthenticationException>(() => (object)ResponseEnvelope.Verify(envelope, DareKeyPairs.Verifier(host), UdfCodec.Nonce(128)));
        Assert.Equal(AuthenticationProblem.RequestIdMismatch, error.Problem);
    }

    [Fact]
    public void A_response_signed_by_another_key_is_refused()
    {
        using var other = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var requestId = UdfCodec.Nonce(128);
        var envelope = ResponseEnvelope.Seal(Payload, DareKeyPairs.Signer(other, UdfCodec.KeyFingerprint(host)), requestId);
        var error = Assert.Throws<MeshAuthenticationException>(() => (object)ResponseEnvelope.Verify(envelope, DareKeyPairs.Verifier(host), requestId));
        Assert.Equal(AuthenticationProblem.BadSignature, error.Problem);
    }

    [Fact]
    public void A_response_payload_swapped_under_the_manifest_is_refused()
    {
        var requestId = UdfCodec.Nonce(128);
        var envelope = ResponseEnvelope.Seal(Payload, DareKeyPairs.Signer(host), requestId);
        var swapped = new DareEnvelope(envelope.Header, Encoding.UTF8.GetBytes("{\"StatusResponse\":{\"Status\":500}}"), envelope.Trailer);
        var error = Assert.Throws<MeshAuthenticationException>(() => (object)ResponseEnvelope.Verify(swapped, DareKeyPairs.Verifier(host), requestId));
        Assert.Equal(AuthenticationProblem.ManifestDigestMismatch, error.Problem);
    }

    [Fact]
    public void A_response_encrypted_to_the_device_opens_with_the_device_key_only()
    {
        using var device = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X448);
        var requestId = UdfCodec.Nonce(128);
        var envelope = ResponseEnvelope.Seal(Payload, DareKeyPairs.Signer(host), requestId, encryptTo: DareKeyPairs.Recipient(device));

        ResponseEnvelope.Verify(envelope, DareKeyPairs.Verifier(host), requestId);
        Assert.True(envelope.IsEncrypted);
        Assert.Equal(Payload, envelope.DecryptPayload([DareKeyPairs.Decryption(device)]));
    }
}
