using System.Security.Cryptography;
using System.Text;

namespace Mesh.Core.Dare;

/// <summary>Algorithm identifiers as they appear in DARE headers, and the digests behind them.</summary>
public static class DareAlgorithms
{
    public const string Sha2_512 = "S512";
    public const string Sha3_512 = "S3512";
    public const string Aes256Cbc = "A256CBC";
    public const string Ed25519 = "ED25519";
    public const string Ed448 = "ED448";
    /// <summary>kwd-aes-sha2-256-256: AES-256 key wrap (RFC 3394) under an HKDF-derived key.</summary>
    public const string KeyWrapDerivation = "kwd-aes-sha2-256-256";

    public const int DigestLength = 64;

    public static IncrementalHash CreateDigest(string? id) => id switch
    {
        null or Sha2_512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        Sha3_512 when SHA3_512.IsSupported => IncrementalHash.CreateHash(HashAlgorithmName.SHA3_512),
        _ => throw new MeshCryptoException($"DARE digest algorithm '{id}' is not supported"),
    };

    public static byte[] Digest(string? id, ReadOnlySpan<byte> data)
    {
        using var hash = CreateDigest(id);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>The DARE node combination: H(left || right) with a missing side read as zero octets.</summary>
    public static byte[] Combine(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[2 * DigestLength];
        buffer.Clear();
        if (!left.IsEmpty) CheckDigest(left).CopyTo(buffer);
        if (!right.IsEmpty) CheckDigest(right).CopyTo(buffer[DigestLength..]);
        return SHA512.HashData(buffer);
    }

    static ReadOnlySpan<byte> CheckDigest(ReadOnlySpan<byte> digest) => digest.Length == DigestLength
        ? digest
        : throw new MeshFormatException($"DARE digest must be {DigestLength} bytes, got {digest.Length}");
}

/// <summary>
/// HKDF labels used to turn a key agreement into a key-wrapping key and a master key plus salt
/// into payload keys. <see cref="Specification"/> is what the DARE text defines; the 2024
/// reference examples (ExamplesDAREMessage.md) were produced with <see cref="Reference2024"/>
/// (see docs/conformance/dare.md).
/// </summary>
public sealed record DareKeyDerivation(
    HashAlgorithmName MasterHash, string MasterInfo,
    HashAlgorithmName ContentHash, string EncryptInfo, string IvInfo, string MacInfo)
{
    public static DareKeyDerivation Specification { get; } = new(
        HashAlgorithmName.SHA256, "dare-master", HashAlgorithmName.SHA256, "dare-encrypt", "dare-iv", "dare-mac");

    public static DareKeyDerivation Reference2024 { get; } = new(
        HashAlgorithmName.SHA512, "master", HashAlgorithmName.SHA256, "encrypt", "iv", "mac");

    /// <summary>Key-encryption key from the output of a key agreement (no salt).</summary>
    public byte[] WrappingKey(ReadOnlySpan<byte> agreement)
    {
        var key = new byte[32];
        HKDF.DeriveKey(MasterHash, agreement, key, ReadOnlySpan<byte>.Empty, Encoding.ASCII.GetBytes(MasterInfo));
        return key;
    }

    public byte[] EncryptionKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> salt) => Derive(masterKey, salt, EncryptInfo, 32);

    public byte[] InitializationVector(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> salt) => Derive(masterKey, salt, IvInfo, 16);

    byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> salt, string info, int length)
    {
        var output = new byte[length];
        HKDF.DeriveKey(ContentHash, masterKey, output, salt, Encoding.ASCII.GetBytes(info));
        return output;
    }
}
