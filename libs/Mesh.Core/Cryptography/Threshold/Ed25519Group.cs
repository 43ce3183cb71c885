using System.Numerics;
using System.Security.Cryptography;
using Mesh.Core.Cryptography.Native;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// The Ed25519 prime-order group through libsodium: points as 32-byte RFC 8032 encodings,
/// scalars as 32-byte little-endian integers modulo L. libsodium's scalar multiplication is
/// constant time, so secret scalars stay on this path for Ed25519.
/// </summary>
public static class Ed25519Group
{
    public const int PointLength = 32;
    public const int ScalarLength = 32;

    /// <summary>The group order L = 2^252 + 27742317777372353535851937790883648493.</summary>
    public static BigInteger Order => EdwardsCurve.Ed25519.Scalars.P;

    /// <summary>Canonical, on the curve, in the prime-order subgroup and not of small order.</summary>
    public static bool IsValidPoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != PointLength) return false;
        Sodium.EnsureInitialized();
        return Sodium.crypto_core_ed25519_is_valid_point(point) == 1;
    }

    public static byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q)
    {
        RequirePoint(p, "first operand");
        RequirePoint(q, "second operand");
        var r = new byte[PointLength];
        if (Sodium.crypto_core_ed25519_add(r, p, q) != 0) throw new MeshCryptoException("Ed25519: point addition failed");
        return r;
    }

    public static byte[] Subtract(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q)
    {
        RequirePoint(p, "first operand");
        RequirePoint(q, "second operand");
        var r = new byte[PointLength];
        if (Sodium.crypto_core_ed25519_sub(r, p, q) != 0) throw new MeshCryptoException("Ed25519: point subtraction failed");
        return r;
    }

    /// <summary>n·B for an unclamped scalar n.</summary>
    public static byte[] MultiplyBase(ReadOnlySpan<byte> scalar)
    {
        RequireScalar(scalar);
        Sodium.EnsureInitialized();
        var r = new byte[PointLength];
        if (Sodium.crypto_scalarmult_ed25519_base_noclamp(r, scalar) != 0)
        {
            throw new MeshCryptoException("Ed25519: scalar is zero modulo L, the product is the identity");
        }
        return r;
    }

    /// <summary>n·P for an unclamped scalar n and a valid point P.</summary>
    public static byte[] Multiply(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> point)
    {
        RequireScalar(scalar);
        RequirePoint(point, "point");
        var r = new byte[PointLength];
        if (Sodium.crypto_scalarmult_ed25519_noclamp(r, scalar, point) != 0)
        {
            throw new MeshCryptoException("Ed25519: scalar is zero modulo L, the product is the identity");
        }
        return r;
    }

    public static byte[] ScalarAdd(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        RequireScalar(x);
        RequireScalar(y);
        var z = new byte[ScalarLength];
        Sodium.crypto_core_ed25519_scalar_add(z, x, y);
        return z;
    }

    public static byte[] ScalarSubtract(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        RequireScalar(x);
        RequireScalar(y);
        var z = new byte[ScalarLength];
        Sodium.crypto_core_ed25519_scalar_sub(z, x, y);
        return z;
    }

    public static byte[] ScalarMultiply(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        RequireScalar(x);
        RequireScalar(y);
        var z = new byte[ScalarLength];
        Sodium.crypto_core_ed25519_scalar_mul(z, x, y);
        return z;
    }

    public static byte[] ScalarInvert(ReadOnlySpan<byte> s)
    {
        RequireScalar(s);
        var r = new byte[ScalarLength];
        if (Sodium.crypto_core_ed25519_scalar_invert(r, s) != 0) throw new MeshCryptoException("Ed25519: zero has no inverse modulo L");
        return r;
    }

    /// <summary>A 32- or 64-byte little-endian integer reduced modulo L.</summary>
    public static byte[] ScalarReduce(ReadOnlySpan<byte> value)
    {
        if (value.Length is not (32 or 64)) throw new MeshCryptoException($"Ed25519: can reduce 32 or 64 bytes, not {value.Length}");
        Sodium.EnsureInitialized();
        Span<byte> wide = stackalloc byte[64];
        wide.Clear();
        value.CopyTo(wide);
        var r = new byte[ScalarLength];
        Sodium.crypto_core_ed25519_scalar_reduce(r, wide);
        CryptographicOperations.ZeroMemory(wide);
        return r;
    }

    /// <summary>Encodes an integer modulo L (reducing it) as a 32-byte scalar.</summary>
    public static byte[] EncodeScalar(BigInteger value) => PrimeField.ToLittleEndian(EdwardsCurve.Ed25519.Scalars.Reduce(value), ScalarLength);

    static void RequirePoint(ReadOnlySpan<byte> point, string role)
    {
        if (point.Length != PointLength) throw new MeshCryptoException($"Ed25519: {role} is {point.Length} bytes, a point is {PointLength}");
        if (!IsValidPoint(point)) throw new MeshCryptoException($"Ed25519: {role} is not a valid point of the prime-order group");
    }

    static void RequireScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != ScalarLength) throw new MeshCryptoException($"Ed25519: a scalar is {ScalarLength} bytes, not {scalar.Length}");
        Sodium.EnsureInitialized();
    }
}
