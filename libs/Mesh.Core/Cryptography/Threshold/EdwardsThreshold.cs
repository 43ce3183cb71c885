using System.Numerics;
using System.Security.Cryptography;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// Threshold key generation, key splitting and threshold signatures on Ed25519 and Ed448
/// (draft-hallambaker-threshold §Implementation for Ed25519 and Ed448;
/// draft-hallambaker-threshold-sigs). Points and scalars travel as RFC 8032 encodings:
/// 32 bytes for Ed25519, 57 for Ed448.
/// </summary>
/// <remarks>
/// Signature protocol: each signer i draws r_i and publishes R_i = r_i·B; the dealer sums
/// R = Σ R_i; each signer computes k = H(dom ‖ R ‖ A ‖ M) and S_i = r_i + k·c_i·s_i mod L
/// (c_i = 1 for direct shares, the Lagrange coefficient for Shamir shares); S = Σ S_i and
/// (R, S) verifies as an ordinary RFC 8032 signature under A.
/// </remarks>
public abstract class EdwardsThreshold
{
    /// <summary>Ed25519 as RFC 8032 (pure): k = SHA-512(R ‖ A ‖ M).</summary>
    public static EdwardsThreshold Ed25519 { get; } = new Ed25519Threshold(withDom2: false);

    /// <summary>
    /// Ed25519 with dom2(0, "") before R ‖ A ‖ M (Ed25519ctx with an empty context): how the
    /// Mesh reference implementation computes k in ExamplesThresholdSig.md.
    /// </summary>
    public static EdwardsThreshold Ed25519Ctx { get; } = new Ed25519Threshold(withDom2: true);

    public static EdwardsThreshold Ed448 { get; } = new Ed448Threshold();

    public abstract string Name { get; }

    /// <summary>Bytes of a point, a scalar and a private key (all equal: 32 or 57).</summary>
    public abstract int Length { get; }

    /// <summary>The group order L.</summary>
    public abstract PrimeField Scalars { get; }

    /// <summary>RFC 8032 secret scalar of a private key: hash, prune, little-endian (not reduced).</summary>
    public abstract BigInteger SecretScalar(ReadOnlySpan<byte> privateKey);

    /// <summary>s·B, encoded.</summary>
    public abstract byte[] MultiplyBase(BigInteger scalar);

    /// <summary>s·P, encoded.</summary>
    public abstract byte[] Multiply(BigInteger scalar, ReadOnlySpan<byte> point);

    /// <summary>P + Q, encoded.</summary>
    public abstract byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q);

    /// <summary>H(dom ‖ R ‖ A ‖ M) as an integer modulo L: the k of RFC 8032 (pure mode, empty context).</summary>
    public abstract BigInteger Challenge(ReadOnlySpan<byte> r, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message);

    public byte[] PublicKey(BigInteger scalar) => MultiplyBase(scalar);

    /// <summary>Aggregate secret scalar of a threshold key generation: Σ s_i mod L.</summary>
    public BigInteger CompositeScalar(IEnumerable<BigInteger> scalars) => KeySharing.Combine(scalars, Scalars);

    /// <summary>Aggregate public key: Σ A_i.</summary>
    public byte[] CompositePublicKey(IEnumerable<byte[]> publicKeys) => SumPoints(publicKeys, "public keys");

    public BigInteger[] Split(BigInteger scalar, int shares) => KeySharing.SplitDirect(scalar, shares, Scalars);

    /// <summary>A holder's contribution to a key agreement with P: c·s·P.</summary>
    public byte[] PartialAgreement(BigInteger share, ReadOnlySpan<byte> point, BigInteger? lagrangeCoefficient = null) =>
        Multiply(lagrangeCoefficient is { } l ? Scalars.Multiply(share, l) : share, point);

    /// <summary>The agreement value s·P as the sum of the holders' contributions.</summary>
    public byte[] CombineAgreements(IEnumerable<byte[]> partials) => SumPoints(partials, "partial agreements");

    /// <summary>A fresh signer nonce r, 1 ≤ r &lt; L, from the system RNG (never derived: see threshold-sigs §Calculation of r values).</summary>
    public BigInteger NewNonce() => KeySharing.RandomScalar(Scalars);

    /// <summary>R_i = r_i·B.</summary>
    public byte[] Commitment(BigInteger nonce) => MultiplyBase(Scalars.Reduce(nonce));

    /// <summary>R = Σ R_i.</summary>
    public byte[] CombineCommitments(IEnumerable<byte[]> commitments) => SumPoints(commitments, "commitments");

    /// <summary>S_i = r_i + k·c_i·s_i mod L; c_i is 1 for direct shares, the Lagrange coefficient for Shamir shares.</summary>
    public BigInteger Contribution(BigInteger nonce, BigInteger challenge, BigInteger share, BigInteger? keyMultiplier = null)
    {
        var f = Scalars;
        var cs = keyMultiplier is { } c ? f.Multiply(c, share) : f.Reduce(share);
        return f.Add(nonce, f.Multiply(challenge, cs));
    }

    /// <summary>S = Σ S_i mod L.</summary>
    public BigInteger CombineContributions(IEnumerable<BigInteger> contributions) => KeySharing.Combine(contributions, Scalars);

    /// <summary>The RFC 8032 signature R ‖ S.</summary>
    public byte[] Signature(ReadOnlySpan<byte> r, BigInteger s)
    {
        if (r.Length != Length) throw new MeshCryptoException($"{Name}: R is {Length} bytes, not {r.Length}");
        var signature = new byte[2 * Length];
        r.CopyTo(signature);
        PrimeField.ToLittleEndian(Scalars.Reduce(s), Length).CopyTo(signature, Length);
        return signature;
    }

    /// <summary>The dealer's check S·B = R + k·A, comparing encodings in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message)
    {
        if (signature.Length != 2 * Length) throw new MeshCryptoException($"{Name}: a signature is {2 * Length} bytes, not {signature.Length}");
        var r = signature[..Length];
        var s = PrimeField.FromLittleEndian(signature[Length..]);
        if (s >= Scalars.P) return false;
        var k = Challenge(r, publicKey, message);
        var left = MultiplyBase(s);
        var right = Add(r, Multiply(k, publicKey));
        return CryptographicOperations.FixedTimeEquals(left, right);
    }

    byte[] SumPoints(IEnumerable<byte[]> points, string what)
    {
        byte[]? sum = null;
        foreach (var p in points)
        {
            if (sum is null)
            {
                RequirePoint(p);
                sum = p.ToArray();
            }
            else
            {
                sum = Add(sum, p);
            }
        }
        return sum ?? throw new MeshCryptoException($"{Name}: no {what} to combine");
    }

    /// <summary>Throws unless the encoding is a point of the prime-order group (not the identity).</summary>
    public abstract void RequirePoint(ReadOnlySpan<byte> point);

    protected static BigInteger PositiveOrThrow(BigInteger scalar, string curve) =>
        scalar.Sign >= 0 ? scalar : throw new MeshCryptoException($"{curve}: negative scalar");
}

/// <summary>Ed25519 on libsodium's group operations.</summary>
sealed class Ed25519Threshold(bool withDom2) : EdwardsThreshold
{
    // dom2(0, "") of RFC 8032 §5.1.
    static readonly byte[] Dom2 = [.. "SigEd25519 no Ed25519 collisions"u8, 0, 0];

    public override string Name => withDom2 ? "Ed25519ctx" : "Ed25519";

    public override int Length => 32;

    public override PrimeField Scalars => EdwardsCurve.Ed25519.Scalars;

    public override void RequirePoint(ReadOnlySpan<byte> point)
    {
        if (point.Length != 32) throw new MeshCryptoException($"Ed25519: a point is 32 bytes, not {point.Length}");
        if (!Ed25519Group.IsValidPoint(point)) throw new MeshCryptoException("Ed25519: not a valid point of the prime-order group");
    }

    public override BigInteger SecretScalar(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32) throw new MeshCryptoException($"Ed25519: a private key is 32 bytes, not {privateKey.Length}");
        Span<byte> h = stackalloc byte[64];
        SHA512.HashData(privateKey, h);
        h[0] &= 248;
        h[31] &= 127;
        h[31] |= 64;
        var s = PrimeField.FromLittleEndian(h[..32]);
        CryptographicOperations.ZeroMemory(h);
        return s;
    }

    public override byte[] MultiplyBase(BigInteger scalar)
    {
        var n = Ed25519Group.EncodeScalar(PositiveOrThrow(scalar, Name));
        try { return Ed25519Group.MultiplyBase(n); }
        finally { CryptographicOperations.ZeroMemory(n); }
    }

    public override byte[] Multiply(BigInteger scalar, ReadOnlySpan<byte> point)
    {
        var n = Ed25519Group.EncodeScalar(PositiveOrThrow(scalar, Name));
        try { return Ed25519Group.Multiply(n, point); }
        finally { CryptographicOperations.ZeroMemory(n); }
    }

    public override byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q) => Ed25519Group.Add(p, q);

    public override BigInteger Challenge(ReadOnlySpan<byte> r, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        if (r.Length != 32 || publicKey.Length != 32) throw new MeshCryptoException("Ed25519: R and A are 32 bytes each");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        if (withDom2) sha.AppendData(Dom2);
        sha.AppendData(r);
        sha.AppendData(publicKey);
        sha.AppendData(message);
        return PrimeField.FromLittleEndian(Ed25519Group.ScalarReduce(sha.GetHashAndReset()));
    }
}

/// <summary>Ed448 on the managed <see cref="EdwardsCurve.Ed448"/>.</summary>
sealed class Ed448Threshold : EdwardsThreshold
{
    static readonly EdwardsCurve Curve = EdwardsCurve.Ed448;

    // dom4(0, "") of RFC 8032 §5.2: "SigEd448", phflag 0, context length 0.
    static readonly byte[] Dom4 = [.. "SigEd448"u8, 0, 0];

    public override string Name => "Ed448";

    public override int Length => 57;

    public override PrimeField Scalars => Curve.Scalars;

    public override void RequirePoint(ReadOnlySpan<byte> point) => DecodeGroupElement(point);

    public override BigInteger SecretScalar(ReadOnlySpan<byte> privateKey)
    {
        // RFC 8032 keys are 57 bytes; the Mesh reference implementation makes 56-byte keys
        // (ExamplesThreshold.md prints them, and their scalars are SHAKE256 of the 56 bytes).
        if (privateKey.Length is not (56 or 57)) throw new MeshCryptoException($"Ed448: a private key is 57 bytes (56 from the Mesh reference), not {privateKey.Length}");
        Span<byte> h = stackalloc byte[114];
        Shake256.HashData(privateKey, h);
        h[0] &= 252;
        h[56] = 0;
        h[55] |= 128;
        var s = PrimeField.FromLittleEndian(h[..57]);
        CryptographicOperations.ZeroMemory(h);
        return s;
    }

    public override byte[] MultiplyBase(BigInteger scalar) => Curve.Encode(Curve.MultiplyBase(Scalars.Reduce(PositiveOrThrow(scalar, Name))));

    public override byte[] Multiply(BigInteger scalar, ReadOnlySpan<byte> point)
    {
        var p = DecodeGroupElement(point);
        return Curve.Encode(Curve.Multiply(Scalars.Reduce(PositiveOrThrow(scalar, Name)), p));
    }

    public override byte[] Add(ReadOnlySpan<byte> p, ReadOnlySpan<byte> q) =>
        Curve.Encode(Curve.Add(DecodeGroupElement(p), DecodeGroupElement(q)));

    public override BigInteger Challenge(ReadOnlySpan<byte> r, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message)
    {
        if (r.Length != 57 || publicKey.Length != 57) throw new MeshCryptoException("Ed448: R and A are 57 bytes each");
        using var shake = new Shake256();
        shake.AppendData(Dom4);
        shake.AppendData(r);
        shake.AppendData(publicKey);
        shake.AppendData(message);
        return Scalars.Reduce(PrimeField.FromLittleEndian(shake.GetHashAndReset(114)));
    }

    // Operands must lie in the prime-order subgroup, as libsodium demands for Ed25519.
    static EdwardsPoint DecodeGroupElement(ReadOnlySpan<byte> encoded)
    {
        var p = Curve.Decode(encoded);
        if (p == EdwardsCurve.Identity) throw new MeshCryptoException("Ed448: point is the identity");
        if (!Curve.IsInPrimeOrderSubgroup(p)) throw new MeshCryptoException("Ed448: point is not in the prime-order subgroup");
        return p;
    }
}
