using System.Numerics;
using System.Security.Cryptography;

namespace Mesh.Core.Cryptography.Threshold;

/// <summary>
/// Direct (additive, n = t) key splitting of draft-hallambaker-threshold §Direct Key Splitting:
/// s_1 … s_{n−1} random, s_n = x − s_1 − … − s_{n−1} mod L, so the shares sum to the key.
/// </summary>
public static class KeySharing
{
    public static BigInteger[] SplitDirect(BigInteger secret, int shares, PrimeField scalars)
    {
        if (shares < 2) throw new MeshCryptoException($"a key is split into at least two shares, not {shares}");
        var result = new BigInteger[shares];
        var last = scalars.Reduce(secret);
        for (var i = 0; i < shares - 1; i++)
        {
            result[i] = RandomScalar(scalars);
            last = scalars.Subtract(last, result[i]);
        }
        result[^1] = last;
        return result;
    }

    /// <summary>The key (or a composite key) as the sum of its shares modulo L.</summary>
    public static BigInteger Combine(IEnumerable<BigInteger> shares, PrimeField scalars)
    {
        var sum = BigInteger.Zero;
        var count = 0;
        foreach (var share in shares)
        {
            sum = scalars.Add(sum, share);
            count++;
        }
        return count > 0 ? sum : throw new MeshCryptoException("no key shares to combine");
    }

    /// <summary>A uniform non-zero integer modulo L: 64 extra random bits make the bias negligible.</summary>
    public static BigInteger RandomScalar(PrimeField scalars)
    {
        var buffer = new byte[scalars.ByteLength + 8];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(buffer);
                var value = scalars.Reduce(PrimeField.FromLittleEndian(buffer));
                if (!value.IsZero) return value;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
