using System.Numerics;
using System.Text.RegularExpressions;
using Mesh.Core.Udf;
using UdfApi = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Udf;

/// <summary>Secret sharing vectors: UDFSplit, UDFShare, UDFShamirRecovery, UDFPrimes, UDFEncrypt.</summary>
public class UdfSharingVectorTests
{
    static BigInteger Decimal(VectorText vector, string label) => BigInteger.Parse(vector.Value(label));

    [Fact]
    public void UDFSplit_shares_from_the_printed_polynomial_are_reproduced()
    {
        var vector = new VectorText("UDFSplit.md");
        var secret = vector.Hex("Alice's master secret is");
        Assert.Equal(vector.Value("This has the UDF representation:"), Base32.Encode(secret));
        Assert.Equal(Decimal(vector, "a0 ="), new BigInteger(secret, isUnsigned: true, isBigEndian: true));

        var shares = SecretSharing.Split(secret, 3, 5, [Decimal(vector, "a1 ="), Decimal(vector, "a2 =")]);
        var binaries = vector.HexBlocks("f(").Where(b => b.Length > 0).ToList();   // the five "f(x) =" hex blocks
        var udfs = vector.Udfs().Skip(1).ToList();                // after the secret's representation
        for (var x = 1; x <= 5; x++)
        {
            var share = shares[x - 1];
            Assert.Equal(Decimal(vector, $"f({x}) ="), new BigInteger(share.Value, isUnsigned: true, isBigEndian: true));
            Assert.Equal(binaries[x - 1], (byte[])[(byte)(share.Threshold << 4 | (share.Index - 1)), .. share.Value]);
            Assert.Equal(udfs[x - 1], share.ToUdf());
        }
    }

    [Fact]
    public void UDFShamirRecovery_Lagrange_recovery_returns_the_secret_from_any_three_UDFSplit_shares()
    {
        // UDFShamirRecovery.md is the draft's C# listing of Lagrange recovery at x = 0; it is
        // exercised here on the printed UDFSplit shares, every 3-of-5 subset.
        Assert.Contains("CombineNK", new VectorText("UDFShamirRecovery.md").Text);
        var vector = new VectorText("UDFSplit.md");
        var secret = vector.Hex("Alice's master secret is");
        var shares = vector.Udfs().Skip(1).Select(KeyShare.Parse).ToArray();
        Assert.Equal(5, shares.Length);
        for (var a = 0; a < 5; a++)
            for (var b = a + 1; b < 5; b++)
                for (var c = b + 1; c < 5; c++)
                    Assert.Equal(secret, SecretSharing.Recover([shares[c], shares[a], shares[b]]));
    }

    [Fact]
    public void UDFShare_key_is_recovered_from_every_pair_of_its_shares()
    {
        var vector = new VectorText("UDFShare.md");
        var key = vector.Value("Key:");
        string[] shares = [vector.Value("Share 0:"), vector.Value("Share 1:"), vector.Value("Share 2:")];
        foreach (var share in shares) Assert.Equal(2, KeyShare.Parse(share).Threshold);
        Assert.Equal(key, Base32.Encode(SecretSharing.Recover([shares[0], shares[1]])));
        Assert.Equal(key, Base32.Encode(SecretSharing.Recover([shares[1], shares[2]])));
        Assert.Equal(key, Base32.Encode(SecretSharing.Recover([shares[2], shares[0]])));
    }

    [Fact]
    public void UDFEncrypt_key_value_is_the_text_after_its_first_octet_which_is_not_a_type_code()
    {
        // The reference printed its shared secret (raw Base32, see UDFShare) and "parsed" it as a
        // UDF: the first octet 0xFA is no assigned type code, the rest is the printed KeyValue.
        var vector = new VectorText("UDFEncrypt.md");
        var udf = vector.Value("Encryption/Authenticator UDF:");
        var binary = Base32.Decode(udf);
        Assert.Equal(vector.Hex("KeyValue:"), binary[1..]);
        var error = Assert.Throws<MeshFormatException>(() => UdfApi.Parse(udf));
        Assert.Contains("unassigned type code 250", error.Message);
    }

    [Fact]
    public void UDFPrimes_table_holds_the_smallest_prime_above_each_power_of_two()
    {
        var rows = Regex.Matches(new VectorText("UDFPrimes.md").Text,
            @"<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>2\^(\d+)\+(\d+)</td>");
        Assert.Equal(64, rows.Count);
        foreach (Match row in rows)
        {
            var bytes = int.Parse(row.Groups[1].Value);
            var bits = int.Parse(row.Groups[3].Value);
            var offset = int.Parse(row.Groups[4].Value);
            Assert.Equal(8 * bytes, bits);
            var power = BigInteger.One << bits;
            Assert.Equal(power + offset, SecretSharing.Prime(bytes));
            Assert.True(Primality.IsProbablePrime(power + offset), $"2^{bits}+{offset} is not prime");
            for (var k = 1; k < offset; k++)
            {
                Assert.False(Primality.IsProbablePrime(power + k), $"2^{bits}+{k} is a smaller prime");
            }
        }
    }
}

/// <summary>Miller-Rabin with fixed bases, plus small-prime trial division (test helper).</summary>
internal static class Primality
{
    static readonly int[] SmallPrimes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71];

    public static bool IsProbablePrime(BigInteger n)
    {
        if (n < 2) return false;
        foreach (var p in SmallPrimes)
        {
            if (n == p) return true;
            if (n % p == 0) return false;
        }
        var d = n - 1;
        var r = 0;
        while (d.IsEven) { d >>= 1; r++; }
        foreach (var a in SmallPrimes)
        {
            var x = BigInteger.ModPow(a, d, n);
            if (x == 1 || x == n - 1) continue;
            var composite = true;
            for (var i = 1; i < r && composite; i++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }
}
