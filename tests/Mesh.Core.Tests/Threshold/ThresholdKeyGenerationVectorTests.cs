using System.Numerics;
using Mesh.Core.Cryptography.Threshold;

namespace Mesh.Core.Tests.Threshold;

/// <summary>ExamplesThreshold.md §Threshold Key Generation (also the draft's test vectors).</summary>
public class ThresholdKeyGenerationVectorTests
{
    static readonly VectorFile Vectors = VectorFile.Examples("ExamplesThreshold.md");

    public static TheoryData<string> MontgomeryCurves => new() { "X25519", "X448" };

    public static TheoryData<string> EdwardsCurves => new() { "Ed25519", "Ed448" };

    static MontgomeryThreshold Montgomery(string name) => name == "X25519" ? MontgomeryThreshold.X25519 : MontgomeryThreshold.X448;

    static EdwardsThreshold Edwards(string name) => name == "Ed25519" ? EdwardsThreshold.Ed25519 : EdwardsThreshold.Ed448;

    [Theory]
    [MemberData(nameof(MontgomeryCurves))]
    public void Montgomery_key_contributions_have_the_printed_public_points_and_signed_encodings(string name)
    {
        var curve = Montgomery(name).Curve;
        foreach (var key in Vectors.Section(name).Take(2))
        {
            var scalar = key.Number("Scalar");
            Assert.Equal(scalar, curve.DecodeScalar(key.Bytes("Encoded Private")));
            var point = curve.MultiplyBase(scalar);
            Assert.Equal(key.Number("U"), point.U);
            Assert.Equal(key.Number("V"), point.V);
            Assert.Equal(key.Bytes("Encoded Public"), curve.EncodeSigned(point));
            Assert.Equal(point, curve.Decode(key.Bytes("Encoded Public")));
        }
    }

    [Theory]
    [MemberData(nameof(MontgomeryCurves))]
    public void Montgomery_composite_key_is_the_sum_of_the_contributions(string name)
    {
        var threshold = Montgomery(name);
        var curve = threshold.Curve;
        var blocks = Vectors.Section(name);
        var contributions = blocks.Take(2).ToArray();

        var composite = threshold.CompositePrivate(contributions.Select(k => k.Number("Scalar")));
        Assert.Equal(blocks[2].Number("Scalar_A"), composite);
        Assert.Equal(blocks[2].Bytes("Encoded Composite Private Key"), PrimeField.ToLittleEndian(composite, curve.KeyLength));

        var publicPoint = threshold.CompositePublic(contributions.Select(k => curve.Decode(k.Bytes("Encoded Public"))));
        Assert.Equal(blocks[3].Number("U"), publicPoint.U);
        Assert.Equal(blocks[3].Number("V"), publicPoint.V);
        Assert.Equal(blocks[3].Bytes("Encoded Public"), curve.EncodeU(publicPoint.U));
        Assert.Equal(publicPoint, threshold.PublicPoint(composite));
    }

    [Theory]
    [MemberData(nameof(EdwardsCurves))]
    public void Edwards_key_contributions_derive_the_printed_scalar_and_public_key(string name)
    {
        var threshold = Edwards(name);
        foreach (var key in Vectors.Section(name).Take(2))
        {
            var scalar = threshold.SecretScalar(PrivateKey(threshold, key));
            Assert.Equal(key.Number("Scalar"), scalar);
            Assert.Equal(key.Bytes("Encoded Public"), threshold.PublicKey(scalar));
        }
    }

    /// <summary>
    /// The reference makes 56-byte Ed448 private keys (RFC 8032 says 57); the printed scalars are
    /// SHAKE256 of exactly those 56 bytes, so they are used as printed.
    /// </summary>
    internal static byte[] PrivateKey(EdwardsThreshold threshold, VectorBlock key)
    {
        var printed = key.Bytes("Encoded Private");
        Assert.Equal(threshold.Length == 57 ? 56 : 32, printed.Length);
        return printed;
    }

    [Fact]
    public void Ed448_private_key_of_other_lengths_is_rejected()
    {
        var error = Assert.Throws<MeshCryptoException>(() => EdwardsThreshold.Ed448.SecretScalar(new byte[55]));
        Assert.Contains("57 bytes", error.Message);
    }

    [Theory]
    [MemberData(nameof(EdwardsCurves))]
    public void Edwards_composite_key_is_the_sum_of_the_contributions(string name)
    {
        var threshold = Edwards(name);
        var blocks = Vectors.Section(name);
        var contributions = blocks.Take(2).ToArray();

        var composite = threshold.CompositeScalar(contributions.Select(k => k.Number("Scalar")));
        Assert.Equal(blocks[2].Number("Scalar_A"), composite);
        Assert.Equal(blocks[2].Bytes("Encoded Composite Private Key"), PrimeField.ToLittleEndian(composite, threshold.Length - (name == "Ed448" ? 1 : 0)));

        var publicKey = threshold.CompositePublicKey(contributions.Select(k => k.Bytes("Encoded Public")));
        Assert.Equal(blocks[3].Bytes("Encoded Public"), publicKey);
        Assert.Equal(publicKey, threshold.PublicKey(composite));
    }

    /// <summary>
    /// The X and Y printed for Edwards keys are not the affine coordinates of the printed public
    /// key (they exceed p): an internal representation of the reference, not reproducible.
    /// </summary>
    [Theory]
    [MemberData(nameof(EdwardsCurves))]
    public void Edwards_printed_X_and_Y_are_not_affine_coordinates(string name)
    {
        var curve = name == "Ed25519" ? EdwardsCurve.Ed25519 : EdwardsCurve.Ed448;
        var key = Vectors.Section(name)[0];
        var affine = curve.Decode(key.Bytes("Encoded Public"));
        Assert.True(curve.IsOnCurve(affine));
        Assert.NotEqual(affine.X, key.Number("X"));
        Assert.NotEqual(affine.Y, key.Number("Y"));
        Assert.False(curve.IsOnCurve(new EdwardsPoint(key.Number("X"), key.Number("Y"))));
    }
}
