using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// Arithmetic modulo a prime: the coordinate fields of Curve25519/Curve448 and the scalar
/// fields (group orders L). Values are kept in [0, P).
/// </summary>
/// <remarks>
/// Built on <see cref="BigInteger"/>, which is neither constant time nor erasable: correctness
/// first. Secret scalars pass through here only in the managed X25519/X448/Ed448 paths.
/// </remarks>
public sealed class PrimeField
{
    public PrimeField(BigInteger prime)
    {
        if (prime < 3 || prime.IsEven) throw new ArgumentOutOfRangeException(nameof(prime), "modulus must be an odd prime");
        P = prime;
        // Square roots use p ≡ 3 mod 4 (one exponentiation) or p ≡ 5 mod 8 (Atkin's variant, RFC 8032 §5.1.3).
        if ((P & 3) == 3) sqrtKind = 3;
        else if ((P & 7) == 5) { sqrtKind = 5; sqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P); }
    }

    readonly int sqrtKind;
    readonly BigInteger sqrtMinusOne;

    public BigInteger P { get; }

    /// <summary>Bytes of a little-endian encoding of an element.</summary>
    public int ByteLength => (int)((P.GetBitLength() + 7) / 8);

    public BigInteger Reduce(BigInteger a)
    {
        var r = a % P;
        return r.Sign < 0 ? r + P : r;
    }

    public BigInteger Add(BigInteger a, BigInteger b) => Reduce(a + b);

    public BigInteger Subtract(BigInteger a, BigInteger b) => Reduce(a - b);

    public BigInteger Negate(BigInteger a) => Reduce(-a);

    public BigInteger Multiply(BigInteger a, BigInteger b) => Reduce(a * b);

    public BigInteger Square(BigInteger a) => Reduce(a * a);

    public BigInteger Power(BigInteger a, BigInteger e) => BigInteger.ModPow(Reduce(a), e, P);

    /// <summary>Inverse by Fermat (a^(p-2)); zero has none.</summary>
    public BigInteger Invert(BigInteger a)
    {
        var r = Reduce(a);
        if (r.IsZero) throw new MeshCryptoException("zero has no inverse modulo the field prime");
        return BigInteger.ModPow(r, P - 2, P);
    }

    public BigInteger Divide(BigInteger a, BigInteger b) => Multiply(a, Invert(b));

    /// <summary>A square root of a, or null when a is not a square.</summary>
    public BigInteger? SquareRoot(BigInteger a)
    {
        var r = Reduce(a);
        BigInteger x;
        switch (sqrtKind)
        {
            case 3:
                x = BigInteger.ModPow(r, (P + 1) / 4, P);
                break;
            case 5:
                x = BigInteger.ModPow(r, (P + 3) / 8, P);
                if (Square(x) != r) x = Multiply(x, sqrtMinusOne);
                break;
            default:
                throw new InvalidOperationException("square roots are implemented for p ≡ 3 mod 4 and p ≡ 5 mod 8 only");
        }
        return Square(x) == r ? x : null;
    }

    public bool IsSquare(BigInteger a) => SquareRoot(a) is not null;

    /// <summary>Little-endian unsigned integer, no reduction.</summary>
    public static BigInteger FromLittleEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: false);

    /// <summary>Little-endian encoding of a non-negative integer into exactly <paramref name="length"/> bytes.</summary>
    public static byte[] ToLittleEndian(BigInteger value, int length)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "negative values have no unsigned encoding");
        var bytes = new byte[length];
        if (!value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new MeshCryptoException($"value does not fit in {length} bytes");
        }
        return bytes;
    }
}
