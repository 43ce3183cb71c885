using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Benchmarks;

/// <summary>
/// Signed envelopes against what they cannot avoid: SHA-512 of the payload plus one signature
/// over the 64-byte digest (sign), or SHA-512 plus one verification (verify).
/// </summary>
[Config(typeof(FormatsConfig))]
public class EnvelopeBenchmarks
{
    SignatureKeyPair key = null!;
    IDareSigner signer = null!;
    IDareVerifier verifier = null!;
    DareEnvelopeOptions options = null!;
    byte[] payload = null!;
    byte[] signature = null!;
    byte[] envelopeJsonB = null!;
    byte[] envelopeJson = null!;

    [Params(MeshAlgorithms.Ed25519, MeshAlgorithms.Ed448)]
    public string Algorithm { get; set; } = MeshAlgorithms.Ed25519;

    [Params(1024, 32 * 1024)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        key = (SignatureKeyPair)KeyPair.Generate(Algorithm);
        signer = DareKeyPairs.Signer(key);
        verifier = DareKeyPairs.Verifier(key);
        options = new DareEnvelopeOptions { Signers = [signer], EnvelopeId = "MBBY-BENCH" };
        payload = new byte[PayloadBytes];
        new Random(20240901).NextBytes(payload);
        signature = key.Sign(SHA512.HashData(payload));
        envelopeJsonB = Encode(DareEncoding.JsonB);
        envelopeJson = Encode(DareEncoding.Json);
        if (!DareEnvelope.Decode(envelopeJsonB).Verify(_ => verifier).IsValid) throw new InvalidOperationException("setup envelope does not verify");
    }

    [GlobalCleanup]
    public void Cleanup() => key.Dispose();

    byte[] Encode(DareEncoding encoding)
    {
        using var output = new MemoryStream(payload.Length + 1024);
        DareEnvelopeWriter.Encode(new MemoryStream(payload, writable: false), payload.Length, output, options, encoding);
        return output.ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("sign")]
    public byte[] Raw_SHA512_and_sign() => key.Sign(SHA512.HashData(payload));

    [Benchmark, BenchmarkCategory("sign")]
    public byte[] Envelope_sign_encode_JSON_B() => Encode(DareEncoding.JsonB);

    [Benchmark, BenchmarkCategory("sign")]
    public byte[] Envelope_sign_encode_JSON() => Encode(DareEncoding.Json);

    [Benchmark(Baseline = true), BenchmarkCategory("verify")]
    public bool Raw_SHA512_and_verify() => key.Verify(SHA512.HashData(payload), signature);

    [Benchmark, BenchmarkCategory("verify")]
    public bool Envelope_decode_verify_JSON_B() => DareEnvelope.Decode(envelopeJsonB).Verify(_ => verifier).IsValid;

    [Benchmark, BenchmarkCategory("verify")]
    public bool Envelope_decode_verify_JSON() => DareEnvelope.Decode(envelopeJson).Verify(_ => verifier).IsValid;
}
