using System.Numerics;
using Mesh.Core.Cryptography.Threshold;

namespace Mesh.Core.Tests.Threshold;

/// <summary>Malformed keys, points and shares are refused with a MeshCryptoException that names the problem.</summary>
public class BadInputTests
{
    static void Refused(Action action, string fragment)
    {
        var error = Assert.Throws<MeshCryptoException>(action);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Montgomery_point_of_wrong_length_is_refused() =>
        Refused(() => MontgomeryCurve.Curve25519.Decode(new byte[31]), "32 or 33 bytes, not 31");

    [Fact]
    public void Montgomery_u_on_the_twist_is_refused()
    {
        var curve = MontgomeryCurve.Curve25519;
        var u = Enumerable.Range(2, 100).Select(i => new BigInteger(i))
            .First(u => !curve.Field.IsSquare(((u + curve.A) * u + 1) * u));
        Refused(() => curve.Decode(curve.EncodeU(u)), "twist");
    }

    [Fact]
    public void Montgomery_u_not_reduced_modulo_p_is_refused() =>
        Refused(() => MontgomeryCurve.Curve448.Decode(Enumerable.Repeat((byte)0xFF, 56).ToArray()), "not reduced");

    [Fact]
    public void Extended_encoding_with_stray_bits_is_refused()
    {
        var encoded = MontgomeryCurve.Curve25519.EncodeSigned(MontgomeryCurve.Curve25519.Base);
        encoded[^1] |= 0x01;
        Refused(() => MontgomeryCurve.Curve25519.Decode(encoded), "stray bits");
    }

    [Fact]
    public void Small_order_u_is_refused() =>
        Refused(() => MontgomeryCurve.Curve25519.Decode(new byte[32]), "small order");

    [Fact]
    public void Point_off_the_curve_cannot_be_added()
    {
        var curve = MontgomeryCurve.Curve448;
        var off = curve.Base with { V = curve.Base.V + 1 };
        Refused(() => curve.Add(curve.Base, off), "not on the curve");
    }

    [Fact]
    public void A_point_plus_its_negation_is_refused_as_infinity()
    {
        var curve = MontgomeryCurve.Curve25519;
        Refused(() => curve.Add(curve.Base, curve.Negate(curve.Base)), "infinity");
    }

    [Fact]
    public void Partial_agreements_must_be_signed_encodings() =>
        Refused(() => MontgomeryThreshold.X25519.CombineAgreements([new byte[32], new byte[32]]), "signed point of 33 bytes");

    [Fact]
    public void Scalar_of_wrong_length_is_refused() =>
        Refused(() => MontgomeryThreshold.X448.PartialAgreement(new byte[32], MontgomeryCurve.Curve448.EncodeSigned(MontgomeryCurve.Curve448.Base)), "56 bytes, not 32");

    [Fact]
    public void Scalar_wider_than_the_ladder_is_refused() =>
        Refused(() => MontgomeryCurve.Curve25519.Ladder(BigInteger.One << 255, 9), "[0, 2^255)");

    [Fact]
    public void Ed25519_invalid_point_is_refused()
    {
        var bad = new byte[32];
        bad[0] = 2; // y = 2 has no x on edwards25519
        Refused(() => Ed25519Group.Add(bad, Ed25519Group.MultiplyBase(Ed25519Group.EncodeScalar(5))), "not a valid point");
        Assert.False(Ed25519Group.IsValidPoint(bad));
    }

    [Fact]
    public void Ed25519_point_of_wrong_length_is_refused() =>
        Refused(() => Ed25519Group.Multiply(Ed25519Group.EncodeScalar(5), new byte[31]), "31 bytes");

    [Fact]
    public void Ed25519_zero_scalar_is_refused() =>
        Refused(() => Ed25519Group.MultiplyBase(new byte[32]), "zero modulo L");

    [Fact]
    public void Ed25519_scalar_of_wrong_length_is_refused() =>
        Refused(() => Ed25519Group.ScalarAdd(new byte[31], new byte[32]), "32 bytes, not 31");

    [Fact]
    public void Ed448_encoding_that_is_not_a_point_is_refused()
    {
        var curve = EdwardsCurve.Ed448;
        var y = Enumerable.Range(2, 100).Select(i => new BigInteger(i)).First(y =>
            !curve.Field.IsSquare(curve.Field.Divide(curve.Field.Subtract(y * y, 1), curve.Field.Subtract(curve.D * y * y, curve.A))));
        Refused(() => curve.Decode(PrimeField.ToLittleEndian(y, 57)), "not a point");
    }

    [Fact]
    public void Ed448_identity_is_refused_as_an_operand() =>
        Refused(() => EdwardsThreshold.Ed448.CombineAgreements([EdwardsCurve.Ed448.Encode(EdwardsCurve.Identity)]), "identity");

    [Fact]
    public void Ed448_point_of_wrong_length_is_refused() =>
        Refused(() => EdwardsCurve.Ed448.Decode(new byte[56]), "57 bytes, not 56");

    [Fact]
    public void Signature_of_wrong_length_is_refused() =>
        Refused(() => EdwardsThreshold.Ed25519.Verify(new byte[32], new byte[63], []), "64 bytes, not 63");

    [Fact]
    public void Key_is_split_into_at_least_two_shares() =>
        Refused(() => MontgomeryThreshold.X25519.Split(5, 1), "at least two shares");

    [Fact]
    public void Shamir_threshold_above_the_share_count_is_refused() =>
        Refused(() => ShamirSharing.Split(5, 2, 3, EdwardsCurve.Ed25519.Scalars), "cannot meet a threshold");

    [Fact]
    public void Repeated_Shamir_indices_are_refused() =>
        Refused(() => ShamirSharing.LagrangeCoefficients([1, 1], EdwardsCurve.Ed25519.Scalars), "distinct");

    [Fact]
    public void Nothing_to_combine_is_refused() =>
        Refused(() => EdwardsThreshold.Ed25519.CombineCommitments([]), "no commitments");
}
