using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Benchmarks;

/// <summary>
/// A 32 KB encrypted envelope (X25519 recipient, AES-256-CBC, SHA-512 payload digest) against raw
/// AES-256-CBC plus HMAC-SHA-512 of the ciphertext. The envelope also pays, once per message, an
/// ephemeral X25519 key pair and agreement, HKDF and AES key wrap (on decryption: one agreement,
/// HKDF, unwrap); the raw baseline reuses one key.
/// </summary>
[Config(typeof(FormatsConfig))]
public class EncryptionBenchmarks
{
    const int PayloadBytes = 32 * 1024;
    AgreementKeyPair recipient = null!;
    IDareDecryptionKey[] decryptionKeys = null!;
    DareEnvelopeOptions options = null!;
    byte[] payload = null!;
    byte[] envelope = null!;
    Aes aes = null!;
    byte[] macKey = null!;
    byte[] iv = null!;
    byte[] ciphertext = null!;
    byte[] tag = null!;

    [GlobalSetup]
    public void Setup()
    {
        recipient = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X25519);
        decryptionKeys = [DareKeyPairs.Decryption(recipient)];
        options = new DareEnvelopeOptions { Recipients = [DareKeyPairs.Recipient(recipient)], DigestAlgorithm = DareAlgorithms.Sha2_512 };
        payload = new byte[PayloadBytes];
        new Random(20240901).NextBytes(payload);
        envelope = Envelope_encrypt();
        aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(32);
        iv = RandomNumberGenerator.GetBytes(16);
        macKey = RandomNumberGenerator.GetBytes(64);
        (ciphertext, tag) = Raw_encrypt_and_MAC();
        if (!Envelope_decrypt().AsSpan().SequenceEqual(payload)) throw new InvalidOperationException("setup envelope does not decrypt");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        recipient.Dispose();
        aes.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("encrypt")]
    public (byte[], byte[]) Raw_AES256_CBC_and_HMAC_SHA512()
    {
        var c = aes.EncryptCbc(payload, iv);
        return (c, HMACSHA512.HashData(macKey, c));
    }

    (byte[], byte[]) Raw_encrypt_and_MAC() => Raw_AES256_CBC_and_HMAC_SHA512();

    [Benchmark, BenchmarkCategory("encrypt")]
    public byte[] Envelope_encrypt()
    {
        using var output = new MemoryStream(PayloadBytes + 2048);
        DareEnvelopeWriter.Encode(new MemoryStream(payload, writable: false), payload.Length, output, options, DareEncoding.JsonB);
        return output.ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("decrypt")]
    public byte[] Raw_HMAC_SHA512_check_and_AES256_CBC()
    {
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA512.HashData(macKey, ciphertext), tag)) throw new CryptographicException("MAC");
        return aes.DecryptCbc(ciphertext, iv);
    }

    [Benchmark, BenchmarkCategory("decrypt")]
    public byte[] Envelope_decrypt()
    {
        var decoded = DareEnvelope.Decode(envelope);
        if (!decoded.Verify(_ => null).DigestMatches) throw new CryptographicException("digest");
        return decoded.DecryptPayload(decryptionKeys);
    }
}
