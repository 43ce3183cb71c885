using System.Numerics;
using System.Security.Cryptography;
using Mesh.Core.Cryptography.Threshold;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace Mesh.Core.Tests.Threshold;

/// <summary>The curve arithmetic against independent implementations (BouncyCastle, libsodium).</summary>
public class CurveArithmeticTests
{
    [Theory]
    [InlineData("X25519")]
    [InlineData("X448")]
    public void Ladder_agrees_with_BouncyCastle_and_recovers_a_point_on_the_curve(string name)
    {
        var curve = name == "X25519" ? MontgomeryCurve.Curve25519 : MontgomeryCurve.Curve448;
        for (var i = 0; i < 4; i++)
        {
            var key = RandomNumberGenerator.GetBytes(curve.KeyLength);
            var expected = new byte[curve.KeyLength];
            if (name == "X25519") X25519.ScalarMultBase(key, 0, expected, 0);
            else X448.ScalarMultBase(key, 0, expected, 0);
            var point = curve.MultiplyBase(curve.DecodePrivateKey(key));
            Assert.Equal(expected, curve.EncodeU(point.U));
            Assert.True(curve.IsOnCurve(point));
        }
    }

    [Theory]
    [InlineData("X25519")]
    [InlineData("X448")]
    public void Adding_multiples_of_a_point_gives_the_multiple_of_the_sum(string name)
    {
        var curve = name == "X25519" ? MontgomeryCurve.Curve25519 : MontgomeryCurve.Curve448;
        var a = KeySharing.RandomScalar(curve.Scalars);
        var b = KeySharing.RandomScalar(curve.Scalars);
        var sum = curve.Add(curve.MultiplyBase(a), curve.MultiplyBase(b));
        Assert.Equal(curve.MultiplyBase(curve.Scalars.Add(a, b)), sum);
        var twice = curve.Add(curve.MultiplyBase(a), curve.MultiplyBase(a));
        Assert.Equal(curve.MultiplyBase(curve.Scalars.Multiply(2, a)), twice);
    }

    [Fact]
    public void Ed448_public_key_agrees_with_BouncyCastle()
    {
        var seed = RandomNumberGenerator.GetBytes(57);
        var expected = new byte[57];
        Org.BouncyCastle.Math.EC.Rfc8032.Ed448.GeneratePublicKey(seed, 0, expected, 0);
        var scheme = EdwardsThreshold.Ed448;
        Assert.Equal(expected, scheme.PublicKey(scheme.SecretScalar(seed)));
    }

    [Fact]
    public void Managed_Ed25519_arithmetic_agrees_with_libsodium()
    {
        var scalar = KeySharing.RandomScalar(EdwardsCurve.Ed25519.Scalars);
        var native = Ed25519Group.MultiplyBase(Ed25519Group.EncodeScalar(scalar));
        Assert.Equal(native, EdwardsCurve.Ed25519.Encode(EdwardsCurve.Ed25519.MultiplyBase(scalar)));
        Assert.Equal(EdwardsCurve.Ed25519.Decode(native), EdwardsCurve.Ed25519.MultiplyBase(scalar));
    }

    [Fact]
    public void Libsodium_scalar_arithmetic_matches_arithmetic_modulo_L()
    {
        var field = EdwardsCurve.Ed25519.Scalars;
        var x = KeySharing.RandomScalar(field);
        var y = KeySharing.RandomScalar(field);
        var ex = Ed25519Group.EncodeScalar(x);
        var ey = Ed25519Group.EncodeScalar(y);
        Assert.Equal(field.Add(x, y), PrimeField.FromLittleEndian(Ed25519Group.ScalarAdd(ex, ey)));
        Assert.Equal(field.Subtract(x, y), PrimeField.FromLittleEndian(Ed25519Group.ScalarSubtract(ex, ey)));
        Assert.Equal(field.Multiply(x, y), PrimeField.FromLittleEndian(Ed25519Group.ScalarMultiply(ex, ey)));
        Assert.Equal(field.Invert(x), PrimeField.FromLittleEndian(Ed25519Group.ScalarInvert(ex)));
        var wide = RandomNumberGenerator.GetBytes(64);
        Assert.Equal(field.Reduce(PrimeField.FromLittleEndian(wide)), PrimeField.FromLittleEndian(Ed25519Group.ScalarReduce(wide)));
        var sum = Ed25519Group.Add(Ed25519Group.MultiplyBase(ex), Ed25519Group.MultiplyBase(ey));
        Assert.Equal(Ed25519Group.MultiplyBase(Ed25519Group.ScalarAdd(ex, ey)), sum);
        Assert.Equal(Ed25519Group.MultiplyBase(ex), Ed25519Group.Subtract(sum, Ed25519Group.MultiplyBase(ey)));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(5, 3)]
    public void Any_threshold_of_Shamir_shares_recovers_the_secret(int shares, int threshold)
    {
        var field = EdwardsCurve.Ed448.Scalars;
        var secret = KeySharing.RandomScalar(field);
        var split = ShamirSharing.Split(secret, shares, threshold, field);
        Assert.Equal(secret, ShamirSharing.Recover(split.Take(threshold).ToArray(), field));
        Assert.Equal(secret, ShamirSharing.Recover(split.Reverse().Take(threshold).ToArray(), field));
        Assert.NotEqual(secret, ShamirSharing.Recover(split.Take(threshold - 1).ToArray(), field));
    }

    [Theory]
    [InlineData("X25519")]
    [InlineData("X448")]
    public void Shamir_shares_decrypt_with_Lagrange_coefficients(string name)
    {
        var threshold = name == "X25519" ? MontgomeryThreshold.X25519 : MontgomeryThreshold.X448;
        var curve = threshold.Curve;
        var key = KeySharing.RandomScalar(curve.Scalars);
        var ephemeral = KeySharing.RandomScalar(curve.Scalars);
        var e = curve.MultiplyBase(ephemeral);
        var expected = curve.MultiplyU(ephemeral, threshold.PublicPoint(key).U);
        var shares = ShamirSharing.Split(key, 3, 2, curve.Scalars);
        BigInteger[] chosen = [shares[0].Index, shares[2].Index];
        var l = ShamirSharing.LagrangeCoefficients(chosen, curve.Scalars);
        var partials = new[] { threshold.PartialAgreement(shares[0].Value, e, l[0]), threshold.PartialAgreement(shares[2].Value, e, l[1]) };
        Assert.Equal(expected, threshold.CombineAgreements(partials).U);
    }

    /// <summary>
    /// ProtocolCryptoKeyAgree.md: the service's result is enveloped from a key share we do not
    /// hold, so only its form can be checked: a 57-byte extended X448 point on the curve.
    /// </summary>
    [Fact]
    public void Service_key_agreement_result_in_the_protocol_example_is_an_extended_X448_point()
    {
        var text = File.ReadAllText(SharedFiles.Vector("ProtocolCryptoKeyAgree.md"));
        var start = text.IndexOf("\"Result\":\"", StringComparison.Ordinal) + 10;
        var value = string.Concat(text[start..text.IndexOf('"', start)].Where(c => !char.IsWhiteSpace(c)));
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(value);
        Assert.Equal(57, bytes.Length);
        var point = MontgomeryCurve.Curve448.Decode(bytes);
        Assert.True(MontgomeryCurve.Curve448.IsOnCurve(point));
    }
}
