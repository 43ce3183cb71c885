using System.Security.Cryptography;

namespace Mesh.Core.Cryptography;

/// <summary>HMAC and HKDF (RFC 2104, RFC 5869) over SHA-2-256/512.</summary>
public static class Mac
{
    public static int Length(string algorithm) => algorithm switch
    {
        MeshAlgorithms.HmacSha2_256 => 32,
        MeshAlgorithms.HmacSha2_512 => 64,
        _ => throw Unknown(algorithm),
    };

    public static byte[] Hmac(string algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var output = new byte[Length(algorithm)];
        Hmac(algorithm, key, data, output);
        return output;
    }

    public static int Hmac(string algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) => algorithm switch
    {
        MeshAlgorithms.HmacSha2_256 => HMACSHA256.HashData(key, data, destination),
        MeshAlgorithms.HmacSha2_512 => HMACSHA512.HashData(key, data, destination),
        _ => throw Unknown(algorithm),
    };

    /// <summary>Constant-time check of a received MAC against the expected value.</summary>
    public static bool Verify(string algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[64];
        var length = Hmac(algorithm, key, data, expected);
        return mac.Length == length && CryptographicOperations.FixedTimeEquals(expected[..length], mac);
    }

    /// <summary>HKDF-Extract; an empty <paramref name="salt"/> means HashLen zero octets (RFC 5869 §2.2).</summary>
    public static byte[] HkdfExtract(string algorithm, ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt) =>
        HKDF.Extract(HashName(algorithm), ikm.ToArray(), salt.ToArray());

    public static void HkdfExpand(string algorithm, ReadOnlySpan<byte> prk, Span<byte> output, ReadOnlySpan<byte> info) =>
        HKDF.Expand(HashName(algorithm), prk, output, info);

    /// <summary>HKDF extract-then-expand into <paramref name="output"/>.</summary>
    public static void Hkdf(string algorithm, ReadOnlySpan<byte> ikm, Span<byte> output, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info) =>
        HKDF.DeriveKey(HashName(algorithm), ikm, output, salt, info);

    static HashAlgorithmName HashName(string algorithm) => algorithm switch
    {
        MeshAlgorithms.HmacSha2_256 => HashAlgorithmName.SHA256,
        MeshAlgorithms.HmacSha2_512 => HashAlgorithmName.SHA512,
        _ => throw Unknown(algorithm),
    };

    static MeshCryptoException Unknown(string algorithm) =>
        new($"unknown MAC algorithm '{algorithm}' (expected HS256 or HS512)");
}
