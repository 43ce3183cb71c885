using System.Numerics;
using System.Security.Cryptography;

namespace Mesh.Core.Udf;

/// <summary>One Shamir share: the point (x, f(x)) and the threshold needed to recover the secret.</summary>
public sealed class KeyShare
{
    public KeyShare(int threshold, int index, byte[] value)
    {
        SecretSharing.CheckThreshold(threshold);
        if (index < 1 || index > SecretSharing.MaximumShares)
        {
            throw new MeshFormatException($"share index must be 1 to {SecretSharing.MaximumShares}, got {index}");
        }
        ArgumentNullException.ThrowIfNull(value);
        SecretSharing.CheckSecretLength(value.Length);
        Threshold = threshold;
        Index = index;
        Value = value;
    }

    /// <summary>Shares needed to recover the secret (bits 4-7 of the share's first octet).</summary>
    public int Threshold { get; }

    /// <summary>The x coordinate, from 1 (bits 0-3 of the first octet hold x − 1).</summary>
    public int Index { get; }

    /// <summary>f(x) in network byte order, as long as the secret.</summary>
    public byte[] Value { get; }

    /// <summary>The share UDF: type S (144), the (threshold, x − 1) octet, then f(x).</summary>
    public string ToUdf()
    {
        var data = new byte[1 + Value.Length];
        data[0] = (byte)(Threshold << 4 | (Index - 1));
        Value.CopyTo(data, 1);
        var text = Udf.Present(UdfTypeCode.ShamirSecret, data);
        CryptographicOperations.ZeroMemory(data);
        return text;
    }

    public override string ToString() => ToUdf();

    public static KeyShare Parse(string udf)
    {
        var value = Udf.Parse(udf, UdfKind.Share);
        if (value.Data.Length < 2) throw new MeshFormatException($"share '{udf}' holds no share value");
        var threshold = value.Data[0] >> 4;
        var index = (value.Data[0] & 0x0F) + 1;
        if (threshold < SecretSharing.MinimumThreshold)
        {
            throw new MeshFormatException($"share '{udf}' declares threshold {threshold}; at least {SecretSharing.MinimumThreshold} is required");
        }
        return new KeyShare(threshold, index, value.Data[1..]);
    }
}

/// <summary>
/// Shamir secret sharing as the UDF draft specifies it: f(x) = a0 + a1·x + … over the prime p,
/// the smallest prime above 2^(8·L) for an L-octet secret (draft Appendix A).
/// </summary>
public static class SecretSharing
{
    public const int MinimumThreshold = 2;
    public const int MaximumThreshold = 15;   // four bits in the share's first octet
    public const int MaximumShares = 16;      // x − 1 in four bits
    public const int MaximumSecretLength = 64;

    // p = 2^(8·L) + offset[L − 1]: draft-hallambaker-mesh-udf Appendix A (UDFPrimes), L = 1..64.
    static readonly int[] PrimeOffsets =
    [
        1, 1, 43, 15, 15, 21, 81, 13, 15, 13, 7, 61, 111, 25, 451, 51,
        85, 175, 253, 7, 87, 427, 27, 133, 235, 375, 423, 735, 357, 115, 81, 297,
        175, 57, 45, 127, 61, 37, 91, 27, 15, 241, 231, 55, 105, 127, 115, 231,
        207, 181, 37, 235, 163, 1093, 187, 211, 21, 841, 445, 165, 777, 583, 133, 75,
    ];

    /// <summary>The modulus for a secret of <paramref name="secretLength"/> octets.</summary>
    public static BigInteger Prime(int secretLength)
    {
        CheckSecretLength(secretLength);
        return (BigInteger.One << (8 * secretLength)) + PrimeOffsets[secretLength - 1];
    }

    /// <summary>Splits <paramref name="secret"/> into <paramref name="shares"/> shares, any <paramref name="threshold"/> of which recover it.</summary>
    public static KeyShare[] Split(ReadOnlySpan<byte> secret, int threshold, int shares)
    {
        CheckSplit(secret.Length, threshold, shares);
        var p = Prime(secret.Length);
        while (true)
        {
            var coefficients = new BigInteger[threshold - 1];
            for (var i = 0; i < coefficients.Length; i++) coefficients[i] = RandomBelow(p);
            // Parameters giving a share value of 2^(8L) or more cannot be encoded; the draft says draw again.
            if (TrySplit(secret, threshold, shares, coefficients, out var result)) return result;
        }
    }

    /// <summary>
    /// Splits with the given polynomial coefficients a1 … a(k−1), for reproducing published
    /// examples. Real splits must use <see cref="Split(ReadOnlySpan{byte}, int, int)"/>.
    /// </summary>
    public static KeyShare[] Split(ReadOnlySpan<byte> secret, int threshold, int shares, IReadOnlyList<BigInteger> coefficients)
    {
        CheckSplit(secret.Length, threshold, shares);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count != threshold - 1)
        {
            throw new MeshCryptoException($"a threshold of {threshold} needs {threshold - 1} coefficients, got {coefficients.Count}");
        }
        var p = Prime(secret.Length);
        foreach (var a in coefficients)
        {
            if (a.Sign < 0 || a >= p) throw new MeshCryptoException("polynomial coefficients must lie in [0, p)");
        }
        if (!TrySplit(secret, threshold, shares, coefficients, out var result))
        {
            throw new MeshCryptoException("these coefficients give a share value too large to encode; choose others");
        }
        return result;
    }

    /// <summary>Recovers the secret from at least threshold shares of one split (Lagrange interpolation at x = 0).</summary>
    public static byte[] Recover(IEnumerable<KeyShare> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        var list = shares.ToList();
        if (list.Count == 0) throw new MeshCryptoException("no shares given");
        var threshold = list[0].Threshold;
        var length = list[0].Value.Length;
        foreach (var share in list)
        {
            if (share.Threshold != threshold) throw new MeshCryptoException("shares come from different splits: their thresholds differ");
            if (share.Value.Length != length) throw new MeshCryptoException("shares come from different splits: their lengths differ");
        }
        if (list.Select(s => s.Index).Distinct().Count() != list.Count) throw new MeshCryptoException("the same share was given twice");
        if (list.Count < threshold) throw new MeshCryptoException($"{list.Count} shares given, {threshold} are needed");

        var p = Prime(length);
        var used = list.Take(threshold).ToArray();
        var secret = BigInteger.Zero;
        for (var m = 0; m < used.Length; m++)
        {
            BigInteger numerator = 1, denominator = 1;
            for (var j = 0; j < used.Length; j++)
            {
                if (j == m) continue;
                numerator = numerator * used[j].Index % p;
                denominator = Mod(denominator * (used[j].Index - used[m].Index), p);
            }
            var y = new BigInteger(used[m].Value, isUnsigned: true, isBigEndian: true);
            var term = y * numerator % p * BigInteger.ModPow(denominator, p - 2, p) % p;
            secret = (secret + term) % p;
        }
        if (secret >= BigInteger.One << (8 * length))
        {
            throw new MeshCryptoException("the shares do not belong to one split (the recovered value is out of range)");
        }
        return ToBytes(secret, length);
    }

    /// <summary>Recovers a secret from share UDFs.</summary>
    public static byte[] Recover(IEnumerable<string> shareUdfs) => Recover(shareUdfs.Select(KeyShare.Parse));

    static bool TrySplit(ReadOnlySpan<byte> secret, int threshold, int shares, IReadOnlyList<BigInteger> coefficients, out KeyShare[] result)
    {
        var p = Prime(secret.Length);
        var limit = BigInteger.One << (8 * secret.Length);
        var a0 = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
        result = new KeyShare[shares];
        for (var x = 1; x <= shares; x++)
        {
            // Horner evaluation of f(x) mod p.
            var y = BigInteger.Zero;
            for (var i = coefficients.Count - 1; i >= 0; i--) y = (y + coefficients[i]) * x % p;
            y = (y + a0) % p;
            if (y >= limit) return false;
            result[x - 1] = new KeyShare(threshold, x, ToBytes(y, secret.Length));
        }
        return true;
    }

    internal static void CheckThreshold(int threshold)
    {
        if (threshold < MinimumThreshold || threshold > MaximumThreshold)
        {
            throw new MeshCryptoException($"threshold must be {MinimumThreshold} to {MaximumThreshold}, got {threshold}");
        }
    }

    internal static void CheckSecretLength(int length)
    {
        if (length < 1 || length > MaximumSecretLength)
        {
            throw new MeshCryptoException($"a shared secret must be 1 to {MaximumSecretLength} bytes, got {length}");
        }
    }

    static void CheckSplit(int secretLength, int threshold, int shares)
    {
        CheckSecretLength(secretLength);
        CheckThreshold(threshold);
        if (shares < threshold || shares > MaximumShares)
        {
            throw new MeshCryptoException($"number of shares must be from the threshold ({threshold}) to {MaximumShares}, got {shares}");
        }
    }

    static BigInteger RandomBelow(BigInteger p)
    {
        // 8 extra octets make the bias of the reduction negligible.
        var bytes = RandomNumberGenerator.GetBytes(p.GetByteCount(isUnsigned: true) + 8);
        var value = new BigInteger(bytes, isUnsigned: true) % p;
        CryptographicOperations.ZeroMemory(bytes);
        return value;
    }

    static BigInteger Mod(BigInteger x, BigInteger p)
    {
        var r = x % p;
        return r.Sign < 0 ? r + p : r;
    }

    static byte[] ToBytes(BigInteger value, int length)
    {
        var output = new byte[length];
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(output.AsSpan(length - count), out _, isUnsigned: true, isBigEndian: true);
        return output;
    }
}
