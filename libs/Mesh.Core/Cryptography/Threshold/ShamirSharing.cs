using System.Numerics;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>A Shamir share: the point (x, f(x)) of the dealer's polynomial.</summary>
public readonly record struct ShamirShare(BigInteger Index, BigInteger Value);

/// <summary>
/// Shamir secret sharing over the scalar field of a curve (draft-hallambaker-threshold §Shamir
/// Secret Sharing): f(x) = s + a_1·x + … + a_{t−1}·x^{t−1} mod L, shares f(1) … f(n), and
/// Lagrange coefficients at x = 0 so that s = Σ l_i·f(x_i) — the same sum the direct scheme
/// uses, with each share first multiplied by its coefficient.
/// </summary>
public static class ShamirSharing
{
    /// <summary>n shares of the secret, any t of which recover it; indices are 1 … n.</summary>
    public static ShamirShare[] Split(BigInteger secret, int shares, int threshold, PrimeField scalars)
    {
        if (threshold < 2) throw new MeshCryptoException($"a Shamir threshold is at least 2, not {threshold}");
        if (shares < threshold) throw new MeshCryptoException($"{shares} shares cannot meet a threshold of {threshold}");
        if (shares >= scalars.P) throw new MeshCryptoException("more shares than the field has indices");
        var coefficients = new BigInteger[threshold];
        coefficients[0] = scalars.Reduce(secret);
        for (var i = 1; i < threshold; i++) coefficients[i] = KeySharing.RandomScalar(scalars);
        var result = new ShamirShare[shares];
        for (var i = 0; i < shares; i++)
        {
            var x = new BigInteger(i + 1);
            result[i] = new ShamirShare(x, Evaluate(coefficients, x, scalars));
        }
        Array.Clear(coefficients);
        return result;
    }

    /// <summary>f(x) = a_0 + a_1·x + … by Horner's rule.</summary>
    public static BigInteger Evaluate(IReadOnlyList<BigInteger> coefficients, BigInteger x, PrimeField scalars)
    {
        if (coefficients.Count == 0) throw new MeshCryptoException("a polynomial needs at least one coefficient");
        var y = BigInteger.Zero;
        for (var i = coefficients.Count - 1; i >= 0; i--) y = scalars.Add(scalars.Multiply(y, x), coefficients[i]);
        return y;
    }

    /// <summary>l_m = Π_{j≠m} x_j / (x_j − x_m) mod L: the Lagrange basis at 0 for the given indices.</summary>
    public static BigInteger[] LagrangeCoefficients(IReadOnlyList<BigInteger> indices, PrimeField scalars)
    {
        if (indices.Count == 0) throw new MeshCryptoException("no share indices");
        var reduced = indices.Select(scalars.Reduce).ToArray();
        if (reduced.Any(x => x.IsZero)) throw new MeshCryptoException("share index 0 would reveal the secret");
        if (reduced.Distinct().Count() != reduced.Length) throw new MeshCryptoException("share indices must be distinct");
        var result = new BigInteger[reduced.Length];
        for (var m = 0; m < reduced.Length; m++)
        {
            BigInteger numerator = 1, denominator = 1;
            for (var j = 0; j < reduced.Length; j++)
            {
                if (j == m) continue;
                numerator = scalars.Multiply(numerator, reduced[j]);
                denominator = scalars.Multiply(denominator, scalars.Subtract(reduced[j], reduced[m]));
            }
            result[m] = scalars.Divide(numerator, denominator);
        }
        return result;
    }

    /// <summary>f(0) from t shares.</summary>
    public static BigInteger Recover(IReadOnlyList<ShamirShare> shares, PrimeField scalars)
    {
        var l = LagrangeCoefficients(shares.Select(s => s.Index).ToArray(), scalars);
        var secret = BigInteger.Zero;
        for (var i = 0; i < shares.Count; i++) secret = scalars.Add(secret, scalars.Multiply(l[i], shares[i].Value));
        return secret;
    }
}
