using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>An affine point (x, y) on a twisted Edwards curve a·x² + y² = 1 + d·x²·y².</summary>
public readonly record struct EdwardsPoint(BigInteger X, BigInteger Y);

/// <summary>
/// Edwards25519 and Edwards448 (RFC 8032) in managed arithmetic: the Ed448 threshold operations
/// (no native Ed448 group API is available here) and affine coordinates of Ed25519 points for
/// checks against printed vectors. Ed25519 threshold work itself goes through libsodium
/// (<see cref="Ed25519Group"/>).
/// </summary>
/// <remarks>
/// Projective coordinates with the unified addition law of Bernstein et al. (complete for
/// these curves since a is a square and d is not). Scalar multiplication performs one doubling
/// and one addition per bit whatever the bit, but BigInteger is not constant time.
/// </remarks>
public sealed class EdwardsCurve
{
    public static EdwardsCurve Ed25519 { get; } = CreateEd25519();

    public static EdwardsCurve Ed448 { get; } = new(
        name: "Ed448",
        prime: BigInteger.Pow(2, 448) - BigInteger.Pow(2, 224) - 1,
        a: 1,
        d: -39081,
        order: BigInteger.Pow(2, 446) - BigInteger.Parse("13818066809895115352007386748515426880336692474882178609894547503885"),
        encodedLength: 57,
        // RFC 8032 §5.2 base point B.
        baseX: BigInteger.Parse("224580040295924300187604334099896036246789641632564134246125461686950415467406032909029192869357953282578032075146446173674602635247710"),
        baseY: BigInteger.Parse("298819210078481492676017930443930673437544040154080242095928241372331506189835876003536878655418784733982303233503462500531545062832660"));

    static EdwardsCurve CreateEd25519()
    {
        var p = BigInteger.Pow(2, 255) - 19;
        var field = new PrimeField(p);
        return new EdwardsCurve(
            name: "Ed25519",
            prime: p,
            a: -1,
            d: field.Divide(-121665, 121666),
            order: BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493"),
            encodedLength: 32,
            // RFC 8032 §5.1 base point B.
            baseX: BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
            baseY: BigInteger.Parse("46316835694926478169428394003475163141307993866256225615783033603165251855960"));
    }

    EdwardsCurve(string name, BigInteger prime, BigInteger a, BigInteger d, BigInteger order, int encodedLength, BigInteger baseX, BigInteger baseY)
    {
        Name = name;
        Field = new PrimeField(prime);
        Scalars = new PrimeField(order);
        A = Field.Reduce(a);
        D = Field.Reduce(d);
        EncodedLength = encodedLength;
        Base = new EdwardsPoint(baseX, baseY);
    }

    public string Name { get; }

    public PrimeField Field { get; }

    /// <summary>Integers modulo the prime order L of the base point.</summary>
    public PrimeField Scalars { get; }

    public BigInteger A { get; }

    public BigInteger D { get; }

    /// <summary>Bytes of an encoded point (32 or 57).</summary>
    public int EncodedLength { get; }

    public EdwardsPoint Base { get; }

    public static EdwardsPoint Identity => new(0, 1);

    public bool IsOnCurve(EdwardsPoint p)
    {
        var f = Field;
        if (p.X.Sign < 0 || p.X >= f.P || p.Y.Sign < 0 || p.Y >= f.P) return false;
        var xx = f.Square(p.X);
        var yy = f.Square(p.Y);
        return f.Add(f.Multiply(A, xx), yy) == f.Add(1, f.Multiply(D, f.Multiply(xx, yy)));
    }

    public EdwardsPoint Add(EdwardsPoint p, EdwardsPoint q)
    {
        RequireOnCurve(p);
        RequireOnCurve(q);
        return ToAffine(Add(FromAffine(p), FromAffine(q)));
    }

    public EdwardsPoint Negate(EdwardsPoint p) => p with { X = Field.Negate(p.X) };

    public EdwardsPoint Subtract(EdwardsPoint p, EdwardsPoint q) => Add(p, Negate(q));

    /// <summary>k·P for any non-negative k (the caller reduces modulo L when it wants to).</summary>
    public EdwardsPoint Multiply(BigInteger k, EdwardsPoint p)
    {
        RequireOnCurve(p);
        if (k.Sign < 0) throw new MeshCryptoException($"{Name}: negative scalar");
        var bits = Math.Max(k.GetBitLength(), Scalars.P.GetBitLength());
        var r0 = FromAffine(Identity);
        var r1 = FromAffine(p);
        // Montgomery ladder on projective points: the same add and double for every bit.
        for (var i = bits - 1; i >= 0; i--)
        {
            if (((k >> (int)i) & 1).IsZero)
            {
                r1 = Add(r0, r1);
                r0 = Add(r0, r0);
            }
            else
            {
                r0 = Add(r0, r1);
                r1 = Add(r1, r1);
            }
        }
        return ToAffine(r0);
    }

    public EdwardsPoint MultiplyBase(BigInteger k) => Multiply(k, Base);

    /// <summary>RFC 8032 encoding: y little endian, low bit of x in the top bit of the last byte.</summary>
    public byte[] Encode(EdwardsPoint p)
    {
        var bytes = PrimeField.ToLittleEndian(p.Y, EncodedLength);
        if (!p.X.IsEven) bytes[^1] |= 0x80;
        return bytes;
    }

    /// <summary>RFC 8032 decoding (§5.1.3, §5.2.3): rejects wrong lengths, y ≥ p and non-points.</summary>
    public EdwardsPoint Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != EncodedLength) throw new MeshCryptoException($"{Name}: a point is {EncodedLength} bytes, not {encoded.Length}");
        Span<byte> y = stackalloc byte[EncodedLength];
        encoded.CopyTo(y);
        var xOdd = (y[^1] & 0x80) != 0;
        y[^1] &= 0x7F;
        if (EncodedLength == 57 && y[^1] != 0) throw new MeshCryptoException($"{Name}: the final byte of a point holds only the sign bit");
        var yValue = PrimeField.FromLittleEndian(y);
        if (yValue >= Field.P) throw new MeshCryptoException($"{Name}: y coordinate is not reduced modulo p");
        var f = Field;
        var yy = f.Square(yValue);
        // a·x² + y² = 1 + d·x²·y²  ⇒  x² = (y² − 1) / (d·y² − a)
        var x2 = f.Divide(f.Subtract(yy, 1), f.Subtract(f.Multiply(D, yy), A));
        var x = f.SquareRoot(x2) ?? throw new MeshCryptoException($"{Name}: encoding is not a point on the curve");
        if (x.IsZero && xOdd) throw new MeshCryptoException($"{Name}: x = 0 cannot carry a sign bit");
        if (!x.IsEven != xOdd) x = f.Negate(x);
        return new EdwardsPoint(x, yValue);
    }

    /// <summary>True when P is in the prime-order subgroup generated by the base point (L·P = O).</summary>
    public bool IsInPrimeOrderSubgroup(EdwardsPoint p) => IsOnCurve(p) && Multiply(Scalars.P, p) == Identity;

    readonly record struct Projective(BigInteger X, BigInteger Y, BigInteger Z);

    static Projective FromAffine(EdwardsPoint p) => new(p.X, p.Y, 1);

    EdwardsPoint ToAffine(Projective p)
    {
        var zinv = Field.Invert(p.Z);
        return new EdwardsPoint(Field.Multiply(p.X, zinv), Field.Multiply(p.Y, zinv));
    }

    // add-2008-bbjlp (projective twisted Edwards), unified: also doubles.
    Projective Add(Projective p, Projective q)
    {
        var f = Field;
        var a = f.Multiply(p.Z, q.Z);
        var b = f.Square(a);
        var c = f.Multiply(p.X, q.X);
        var d = f.Multiply(p.Y, q.Y);
        var e = f.Multiply(D, f.Multiply(c, d));
        var ff = f.Subtract(b, e);
        var g = f.Add(b, e);
        var x3 = f.Multiply(f.Multiply(a, ff), f.Reduce((p.X + p.Y) * (q.X + q.Y) - c - d));
        var y3 = f.Multiply(f.Multiply(a, g), f.Subtract(d, f.Multiply(A, c)));
        var z3 = f.Multiply(ff, g);
        return new Projective(x3, y3, z3);
    }

    void RequireOnCurve(EdwardsPoint p)
    {
        if (!IsOnCurve(p)) throw new MeshCryptoException($"{Name}: point is not on the curve");
    }
}
