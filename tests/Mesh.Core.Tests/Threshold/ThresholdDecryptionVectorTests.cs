using System.Numerics;
using Mesh.Core.Cryptography.Threshold;

namespace Mesh.Core.Tests.Threshold;

/// <summary>
/// ExamplesThreshold.md §Direct Key Splitting and §Direct Decryption (X25519, X448). What the
/// reference printed is reproduced where it is consistent; where it is not, the tests pin down
/// exactly how (see docs/conformance/threshold.md).
/// </summary>
public class ThresholdDecryptionVectorTests
{
    static readonly VectorFile Vectors = VectorFile.Examples("ExamplesThreshold.md");

    public static TheoryData<string> Curves => new() { "X25519", "X448" };

    sealed record Case(MontgomeryThreshold Threshold, IReadOnlyList<VectorBlock> Split, IReadOnlyList<VectorBlock> Decrypt)
    {
        public MontgomeryCurve Curve => Threshold.Curve;
        public VectorBlock KeyA => Split[0];
        public VectorBlock Key1 => Split[1];
        public VectorBlock FinalShare => Split[2];
        public VectorBlock KeyE => Decrypt[0];
        public BigInteger AgreementU => Decrypt[1].Number("U");
        public byte[] AgreementEncoding => Decrypt[2].BytesAt(0);
        public VectorBlock Ladder1 => Decrypt[3];
        public VectorBlock Contribution1 => Decrypt[4];
        public byte[] Contribution1Encoding => Decrypt[5].BytesAt(0);
        public VectorBlock Contribution2 => Decrypt[6];
        public byte[] Contribution2Encoding => Decrypt[7].BytesAt(0);
        public VectorBlock Sum => Decrypt[8];
        // The reference multiplied the ephemeral point it generated, v included.
        public MontgomeryPoint E => new(KeyE.Number("U"), KeyE.Number("V"));
        public BigInteger CorrectFinalShare => Curve.Scalars.Subtract(KeyA.Number("Scalar"), Key1.Number("Scalar"));
    }

    static Case Load(string name) => new(
        name == "X25519" ? MontgomeryThreshold.X25519 : MontgomeryThreshold.X448,
        Vectors.Section($"Direct Key Splitting {name}"),
        Vectors.Section($"Direct Decryption {name}"));

    static MontgomeryPoint Point(VectorBlock block) => new(block.Number("u"), block.Number("v"));

    [Theory]
    [MemberData(nameof(Curves))]
    public void Encryption_and_ephemeral_keys_have_the_printed_points(string name)
    {
        var c = Load(name);
        foreach (var key in new[] { c.KeyA, c.KeyE })
        {
            var scalar = key.Number("Scalar");
            Assert.Equal(scalar, c.Curve.DecodeScalar(key.Bytes("Encoded Private")));
            var point = c.Threshold.PublicPoint(scalar);
            Assert.Equal(new MontgomeryPoint(key.Number("U"), key.Number("V")), point);
            Assert.Equal(key.Bytes("Encoded Public"), c.Curve.EncodeU(point.U));
        }
        Assert.True(c.Curve.IsOnCurve(c.E));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Direct_agreement_matches_the_printed_result_from_either_side(string name)
    {
        var c = Load(name);
        var fromEphemeral = c.Curve.MultiplyU(c.KeyE.Number("Scalar"), c.KeyA.Number("U"));
        var fromKeyA = c.Curve.MultiplyU(c.KeyA.Number("Scalar"), c.KeyE.Number("U"));
        Assert.Equal(c.AgreementU, fromEphemeral);
        Assert.Equal(c.AgreementU, fromKeyA);
        Assert.Equal(c.AgreementEncoding.AsSpan(0, c.Curve.KeyLength).ToArray(), c.Curve.EncodeU(fromEphemeral));
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void First_contribution_reproduces_the_printed_ladder_state_and_point(string name)
    {
        var c = Load(name);
        var s1 = c.Key1.Number("Scalar");
        Assert.Equal(s1, c.Curve.DecodeScalar(c.Key1.Bytes("Encoded Private")));
        var ladder = c.Curve.Ladder(s1, c.E.U);
        Assert.Equal(c.Ladder1.Number("x_2"), ladder.X2);
        Assert.Equal(c.Ladder1.Number("z_2"), ladder.Z2);
        Assert.Equal(c.Ladder1.Number("x_3"), ladder.X3);
        Assert.Equal(c.Ladder1.Number("z_3"), ladder.Z3);
        Assert.Equal(Point(c.Contribution1), c.Threshold.PartialAgreement(s1, c.E));
    }

    /// <summary>The draft says Scalar_2 = (Scalar_A − Scalar_1) mod L; the printed value is (Scalar_A + Scalar_1) mod L.</summary>
    [Theory]
    [MemberData(nameof(Curves))]
    public void Printed_final_share_is_the_sum_not_the_difference_of_the_scalars(string name)
    {
        var c = Load(name);
        var printed = c.FinalShare.Number("Scalar_2");
        Assert.Equal(printed, c.Curve.DecodeScalar(c.FinalShare.BytesAt(0)));
        Assert.NotEqual(c.CorrectFinalShare, printed);
        Assert.Equal(c.Curve.Scalars.Add(c.KeyA.Number("Scalar"), c.Key1.Number("Scalar")), printed);
    }

    [Theory]
    [MemberData(nameof(Curves))]
    public void Second_contribution_is_reproduced_from_the_printed_final_share(string name)
    {
        var c = Load(name);
        Assert.Equal(Point(c.Contribution2), c.Threshold.PartialAgreement(c.FinalShare.Number("Scalar_2"), c.E));
    }

    /// <summary>The hex printed under each contribution is the ephemeral public key, not the contribution.</summary>
    [Theory]
    [MemberData(nameof(Curves))]
    public void Printed_contribution_encodings_repeat_the_ephemeral_key(string name)
    {
        var c = Load(name);
        var ephemeral = c.KeyE.Bytes("Encoded Public");
        Assert.Equal(ephemeral, c.Contribution1Encoding);
        Assert.Equal(ephemeral, c.Contribution2Encoding);
        Assert.NotEqual(c.Curve.EncodeSigned(Point(c.Contribution1)), c.Contribution1Encoding);
    }

    /// <summary>
    /// With the share the draft defines, the two contributions add up to the direct agreement.
    /// The printed sum is neither that nor the sum of the printed contributions.
    /// </summary>
    [Theory]
    [MemberData(nameof(Curves))]
    public void Contributions_of_correct_shares_combine_to_the_direct_agreement(string name)
    {
        var c = Load(name);
        var p1 = c.Threshold.PartialAgreement(c.Key1.Number("Scalar"), c.E);
        var p2 = c.Threshold.PartialAgreement(c.CorrectFinalShare, c.E);
        Assert.Equal(c.AgreementU, c.Threshold.CombineAgreements([p1, p2]).U);

        var encoded = c.Threshold.CombineAgreements([c.Curve.EncodeSigned(p1), c.Curve.EncodeSigned(p2)]);
        Assert.Equal(c.Curve.EncodeU(c.AgreementU), encoded);

        var printedSum = Point(c.Sum);
        Assert.True(c.Curve.IsOnCurve(printedSum));
        Assert.NotEqual(c.AgreementU, printedSum.U);
        Assert.NotEqual(printedSum, c.Curve.Add(Point(c.Contribution1), Point(c.Contribution2)));
    }

    /// <summary>
    /// A peer key sent as a plain u leaves the sign of v open; holders decode it the same way
    /// (even root) and the combined u is the agreement whichever root that is.
    /// </summary>
    [Theory]
    [MemberData(nameof(Curves))]
    public void Shares_combine_to_the_agreement_when_the_peer_key_is_a_plain_u(string name)
    {
        var c = Load(name);
        var shares = c.Threshold.Split(c.KeyA.Number("Scalar"), 3);
        var peer = c.KeyE.Bytes("Encoded Public");
        Assert.Equal(c.Curve.KeyLength, peer.Length);
        var partials = shares.Select(s => c.Threshold.PartialAgreement(PrimeField.ToLittleEndian(s, c.Curve.KeyLength), peer)).ToArray();
        Assert.All(partials, p => Assert.Equal(c.Curve.SignedLength, p.Length));
        Assert.Equal(c.AgreementEncoding.AsSpan(0, c.Curve.KeyLength).ToArray(), c.Threshold.CombineAgreements(partials));
    }
}
