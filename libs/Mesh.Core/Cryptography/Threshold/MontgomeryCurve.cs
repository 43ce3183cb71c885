using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// Curve25519 and Curve448 in Montgomery form (RFC 7748) with what threshold decryption needs
/// beyond X25519/X448: recovery of the v coordinate after the ladder (Okeya–Sakurai, as given
/// in draft-hallambaker-threshold §Montgomery Ladder with Coordinate Recovery), point addition
/// and the extended point encoding that carries the sign of v.
/// </summary>
/// <remarks>
/// Arithmetic is <see cref="BigInteger"/>: the ladder performs the same field operations for
/// every bit, but BigInteger operation times depend on operand values, so this is not
/// constant time. Use for threshold shares where the share, not the whole key, is at stake.
/// </remarks>
public sealed class MontgomeryCurve
{
    /// <summary>Curve25519: p = 2^255 − 19, A = 486662, base u = 9.</summary>
    public static MontgomeryCurve Curve25519 { get; } = new(
        name: "X25519",
        prime: BigInteger.Pow(2, 255) - 19,
        a: 486662,
        bits: 255,
        order: BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493"),
        baseU: 9,
        // RFC 7748 §4.1, V(P).
        baseV: BigInteger.Parse("14781619447589544791020593568409986887264606134616475288964881837755586237401"));

    /// <summary>Curve448: p = 2^448 − 2^224 − 1, A = 156326, base u = 5.</summary>
    public static MontgomeryCurve Curve448 { get; } = new(
        name: "X448",
        prime: BigInteger.Pow(2, 448) - BigInteger.Pow(2, 224) - 1,
        a: 156326,
        bits: 448,
        order: BigInteger.Pow(2, 446) - BigInteger.Parse("13818066809895115352007386748515426880336692474882178609894547503885"),
        baseU: 5,
        // RFC 7748 §4.2, V(P).
        baseV: BigInteger.Parse("355293926785568175264127502063783334808976399387714271831880898435169088786967410002932673765864550910142774147268105838985595290606362"));

    MontgomeryCurve(string name, BigInteger prime, BigInteger a, int bits, BigInteger order, BigInteger baseU, BigInteger baseV)
    {
        Name = name;
        Field = new PrimeField(prime);
        Scalars = new PrimeField(order);
        A = a;
        A24 = (a - 2) / 4;
        Bits = bits;
        Base = new MontgomeryPoint(baseU, baseV);
        KeyLength = Field.ByteLength;
    }

    public string Name { get; }

    /// <summary>The coordinate field GF(p).</summary>
    public PrimeField Field { get; }

    /// <summary>Integers modulo the prime order L of the base point: where key shares live.</summary>
    public PrimeField Scalars { get; }

    public BigInteger A { get; }

    /// <summary>(A − 2) / 4, the ladder constant of RFC 7748.</summary>
    public BigInteger A24 { get; }

    /// <summary>Ladder length in bits (255 or 448), as RFC 7748.</summary>
    public int Bits { get; }

    public MontgomeryPoint Base { get; }

    /// <summary>Bytes of a scalar or of a u coordinate (32 or 56).</summary>
    public int KeyLength { get; }

    /// <summary>Bytes of the extended (signed) point encoding (33 or 57).</summary>
    public int SignedLength => KeyLength + 1;

    public bool IsOnCurve(MontgomeryPoint p) =>
        p.U >= 0 && p.U < Field.P && p.V >= 0 && p.V < Field.P && Field.Square(p.V) == RightHandSide(p.U);

    BigInteger RightHandSide(BigInteger u) => Field.Reduce(((u + A) * u + 1) * u);

    /// <summary>The Montgomery ladder of RFC 7748 over <see cref="Bits"/> bits, with no clamping.</summary>
    public LadderResult Ladder(BigInteger k, BigInteger u)
    {
        CheckScalar(k);
        var f = Field;
        var x1 = f.Reduce(u);
        BigInteger x2 = 1, z2 = 0, x3 = x1, z3 = 1;
        var swap = 0;
        for (var t = Bits - 1; t >= 0; t--)
        {
            var kt = (int)((k >> t) & 1);
            swap ^= kt;
            Swap(swap, ref x2, ref x3);
            Swap(swap, ref z2, ref z3);
            swap = kt;

            var a = f.Add(x2, z2);
            var aa = f.Square(a);
            var b = f.Subtract(x2, z2);
            var bb = f.Square(b);
            var e = f.Subtract(aa, bb);
            var c = f.Add(x3, z3);
            var d = f.Subtract(x3, z3);
            var da = f.Multiply(d, a);
            var cb = f.Multiply(c, b);
            x3 = f.Square(da + cb);
            z3 = f.Multiply(x1, f.Square(da - cb));
            x2 = f.Multiply(aa, bb);
            z2 = f.Multiply(e, aa + A24 * e);
        }
        Swap(swap, ref x2, ref x3);
        Swap(swap, ref z2, ref z3);
        return new LadderResult(x2, z2, x3, z3);
    }

    // Both branches assign, so the work does not depend on the bit; BigInteger itself is not constant time.
    static void Swap(int swap, ref BigInteger a, ref BigInteger b)
    {
        var (first, second) = swap != 0 ? (b, a) : (a, b);
        a = first;
        b = second;
    }

    /// <summary>Plain X25519/X448 on a u coordinate: the u of k·P.</summary>
    public BigInteger MultiplyU(BigInteger k, BigInteger u)
    {
        var r = Ladder(k, u);
        if (r.Z2.IsZero) throw new MeshCryptoException($"{Name}: the scalar multiple is the point at infinity");
        return Field.Divide(r.X2, r.Z2);
    }

    /// <summary>k·P with both coordinates, recovering v from the ladder's final state.</summary>
    public MontgomeryPoint Multiply(BigInteger k, MontgomeryPoint p)
    {
        RequireOnCurve(p);
        if (p.V.IsZero) throw new MeshCryptoException($"{Name}: point of order two cannot be multiplied with v recovery");
        return RecoverV(p, Ladder(k, p.U));
    }

    public MontgomeryPoint MultiplyBase(BigInteger k) => Multiply(k, Base);

    /// <summary>
    /// Okeya–Sakurai recovery of (u, v) of k·P from P and the ladder state (x_2 : z_2) = k·P,
    /// (x_3 : z_3) = (k+1)·P; one inversion (draft-hallambaker-threshold, MontyGetVFast).
    /// </summary>
    public MontgomeryPoint RecoverV(MontgomeryPoint p, LadderResult r)
    {
        var f = Field;
        if (r.Z2.IsZero) throw new MeshCryptoException($"{Name}: the scalar multiple is the point at infinity");
        var b = f.Multiply(p.U, r.Z2);
        var c = f.Add(r.X2, b);
        var d = f.Subtract(r.X2, b);
        var e = f.Multiply(f.Square(d), r.X3);
        var ff = f.Multiply(2 * A, r.Z2);
        var j = f.Multiply(f.Add(c, ff), f.Add(f.Multiply(p.U, r.X2), r.Z2));
        var m = f.Multiply(f.Subtract(j, f.Multiply(ff, r.Z2)), r.Z3);
        var yy = f.Subtract(m, e);
        var pp = f.Multiply(f.Multiply(2 * p.V, r.Z2), r.Z3);
        var xx = f.Multiply(pp, r.X2);
        var zz = f.Multiply(pp, r.Z2);
        var zinv = f.Invert(zz);
        var result = new MontgomeryPoint(f.Multiply(xx, zinv), f.Multiply(yy, zinv));
        return IsOnCurve(result) ? result : throw new MeshCryptoException($"{Name}: v recovery produced a point off the curve");
    }

    /// <summary>
    /// P + Q by the chord-and-tangent law (B = 1). The sum of a point and its negation is the
    /// point at infinity, which has no affine form: reported as an error.
    /// </summary>
    public MontgomeryPoint Add(MontgomeryPoint p, MontgomeryPoint q)
    {
        RequireOnCurve(p);
        RequireOnCurve(q);
        var f = Field;
        BigInteger lambda;
        if (p.U == q.U)
        {
            if (p.V != q.V || p.V.IsZero) throw new MeshCryptoException($"{Name}: the sum is the point at infinity");
            // Tangent: λ = (3u² + 2Au + 1) / 2v.
            lambda = f.Divide(3 * f.Square(p.U) + 2 * A * p.U + 1, 2 * p.V);
        }
        else
        {
            lambda = f.Divide(q.V - p.V, q.U - p.U);
        }
        var u3 = f.Reduce(f.Square(lambda) - A - p.U - q.U);
        var v3 = f.Reduce(lambda * (p.U - u3) - p.V);
        return new MontgomeryPoint(u3, v3);
    }

    public MontgomeryPoint Negate(MontgomeryPoint p) => p with { V = Field.Negate(p.V) };

    /// <summary>u as RFC 7748 writes it: little endian, <see cref="KeyLength"/> bytes, no sign of v.</summary>
    public byte[] EncodeU(BigInteger u) => PrimeField.ToLittleEndian(Field.Reduce(u), KeyLength);

    /// <summary>Extended encoding: u in <see cref="SignedLength"/> bytes, low bit of v in the top bit of the last byte.</summary>
    public byte[] EncodeSigned(MontgomeryPoint p)
    {
        var bytes = PrimeField.ToLittleEndian(p.U, SignedLength);
        if (p.VIsOdd) bytes[^1] |= 0x80;
        return bytes;
    }

    /// <summary>
    /// A point from its extended (signed) encoding, or from a plain u encoding. A plain u does not
    /// say which of ±v is meant; the even root is taken. Every holder of a share must decode the
    /// peer key the same way, and then the combined u is the same for either choice.
    /// </summary>
    public MontgomeryPoint Decode(ReadOnlySpan<byte> encoded)
    {
        bool? odd;
        BigInteger u;
        if (encoded.Length == SignedLength)
        {
            var last = encoded[^1];
            if ((last & 0x7F) != 0) throw new MeshCryptoException($"{Name}: extended point encoding has stray bits in its final byte");
            odd = (last & 0x80) != 0;
            u = PrimeField.FromLittleEndian(encoded[..KeyLength]);
        }
        else if (encoded.Length == KeyLength)
        {
            odd = null;
            u = PrimeField.FromLittleEndian(encoded);
        }
        else
        {
            throw new MeshCryptoException($"{Name}: a point is {KeyLength} or {SignedLength} bytes, not {encoded.Length}");
        }
        if (u >= Field.P) throw new MeshCryptoException($"{Name}: u coordinate is not reduced modulo p");
        return FromU(u, odd ?? false);
    }

    /// <summary>The point with coordinate u whose v has the given parity.</summary>
    public MontgomeryPoint FromU(BigInteger u, bool vOdd)
    {
        if (u.IsZero) throw new MeshCryptoException($"{Name}: u = 0 is a point of small order");
        var v = Field.SquareRoot(RightHandSide(u))
            ?? throw new MeshCryptoException($"{Name}: u is not on the curve (it lies on the twist)");
        if (v.IsZero) throw new MeshCryptoException($"{Name}: point of order two");
        if (!v.IsEven != vOdd) v = Field.Negate(v);
        return new MontgomeryPoint(u, v);
    }

    /// <summary>A scalar from its little-endian encoding, unclamped (key shares are not clamped).</summary>
    public BigInteger DecodeScalar(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != KeyLength) throw new MeshCryptoException($"{Name}: a scalar is {KeyLength} bytes, not {encoded.Length}");
        return PrimeField.FromLittleEndian(encoded);
    }

    /// <summary>RFC 7748 decodeScalar: the private key bytes with the curve's clamping applied.</summary>
    public BigInteger DecodePrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength) throw new MeshCryptoException($"{Name}: a private key is {KeyLength} bytes, not {privateKey.Length}");
        Span<byte> k = stackalloc byte[KeyLength];
        privateKey.CopyTo(k);
        if (KeyLength == 32)
        {
            k[0] &= 248;
            k[31] &= 127;
            k[31] |= 64;
        }
        else
        {
            k[0] &= 252;
            k[55] |= 128;
        }
        var scalar = PrimeField.FromLittleEndian(k);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(k);
        return scalar;
    }

    void CheckScalar(BigInteger k)
    {
        if (k.Sign < 0 || k.GetBitLength() > Bits) throw new MeshCryptoException($"{Name}: scalar must be in [0, 2^{Bits})");
    }

    void RequireOnCurve(MontgomeryPoint p)
    {
        if (!IsOnCurve(p)) throw new MeshCryptoException($"{Name}: point is not on the curve");
    }
}
