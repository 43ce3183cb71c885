using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// Threshold key generation and threshold decryption on X25519/X448
/// (draft-hallambaker-threshold §Threshold Cryptography in Diffie-Hellman, applied to
/// Montgomery curves): key combination Z = X + Y, z = x + y mod L; partial agreements
/// s_i·E with v recovered; their sum is z·E, whose u is the ordinary X25519/X448 result.
/// </summary>
public sealed class MontgomeryThreshold
{
    public static MontgomeryThreshold X25519 { get; } = new(MontgomeryCurve.Curve25519);

    public static MontgomeryThreshold X448 { get; } = new(MontgomeryCurve.Curve448);

    MontgomeryThreshold(MontgomeryCurve curve) => Curve = curve;

    public MontgomeryCurve Curve { get; }

    /// <summary>Key pair contribution's public point, with v (what a signed public key encodes).</summary>
    public MontgomeryPoint PublicPoint(BigInteger scalar) => Curve.MultiplyBase(scalar);

    /// <summary>Aggregate private key of a threshold key generation: Σ s_i mod L.</summary>
    public BigInteger CompositePrivate(IEnumerable<BigInteger> contributions) => KeySharing.Combine(contributions, Curve.Scalars);

    /// <summary>Aggregate public key: the point sum of the contributions (needs their signed encodings).</summary>
    public MontgomeryPoint CompositePublic(IEnumerable<MontgomeryPoint> contributions) => Sum(contributions, "public keys");

    /// <summary>Splits a private scalar into n additive shares modulo L.</summary>
    public BigInteger[] Split(BigInteger privateScalar, int shares) => KeySharing.SplitDirect(privateScalar, shares, Curve.Scalars);

    /// <summary>
    /// One holder's decryption contribution: share·E with both coordinates. For a Shamir share
    /// pass its Lagrange coefficient; for a direct share the coefficient is 1.
    /// </summary>
    public MontgomeryPoint PartialAgreement(BigInteger share, MontgomeryPoint peer, BigInteger? lagrangeCoefficient = null)
    {
        var scalar = lagrangeCoefficient is { } l ? Curve.Scalars.Multiply(share, l) : share;
        return Curve.Multiply(scalar, peer);
    }

    /// <summary>The same on encodings: a share scalar and a peer key (plain or signed), giving a signed point.</summary>
    public byte[] PartialAgreement(ReadOnlySpan<byte> share, ReadOnlySpan<byte> peer) =>
        Curve.EncodeSigned(PartialAgreement(Curve.DecodeScalar(share), Curve.Decode(peer)));

    /// <summary>The key agreement value: the point sum of every holder's contribution.</summary>
    public MontgomeryPoint CombineAgreements(IEnumerable<MontgomeryPoint> partials) => Sum(partials, "partial agreements");

    /// <summary>
    /// Combines signed partial encodings into the u encoding that an ordinary X25519/X448
    /// agreement with the whole key would give.
    /// </summary>
    public byte[] CombineAgreements(IEnumerable<byte[]> partials)
    {
        var points = partials.Select(p =>
        {
            if (p.Length != Curve.SignedLength) throw new MeshCryptoException($"{Curve.Name}: a partial agreement is a signed point of {Curve.SignedLength} bytes, not {p.Length}");
            return Curve.Decode(p);
        });
        return Curve.EncodeU(CombineAgreements(points).U);
    }

    MontgomeryPoint Sum(IEnumerable<MontgomeryPoint> points, string what)
    {
        MontgomeryPoint? sum = null;
        foreach (var p in points) sum = sum is { } s ? Curve.Add(s, p) : RequireOnCurve(p);
        return sum ?? throw new MeshCryptoException($"{Curve.Name}: no {what} to combine");
    }

    MontgomeryPoint RequireOnCurve(MontgomeryPoint p) =>
        Curve.IsOnCurve(p) ? p : throw new MeshCryptoException($"{Curve.Name}: point is not on the curve");
}
