using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Cryptography;

namespace Mesh.Core.Udf;

/// <summary>
/// Uniform Data Fingerprints (draft-hallambaker-mesh-udf): content digests, authenticators,
/// nonces, keys and OID sequences, presented in dashed Base32.
/// </summary>
public static class Udf
{
    /// <summary>Default precision of a fingerprint presentation, type code included (the vectors' "125 bit" form).</summary>
    public const int DefaultBits = 140;

    /// <summary>The draft allows no shorter presentation than 100 bits (security considerations: 96 significant bits).</summary>
    public const int MinimumBits = 100;

    /// <summary>The whole 512-bit digest plus its type code.</summary>
    public const int MaximumBits = 520;

    /// <summary>Precision is an integer multiple of 20 bits (four Base32 characters).</summary>
    public const int BitsStep = 20;

    const int DigestLength = 64;

    #region Content digests

    /// <summary>The content digest UDF of <paramref name="data"/> typed <paramref name="contentType"/>.</summary>
    public static string ContentDigest(ReadOnlySpan<byte> data, string contentType, int bits = DefaultBits,
        UdfDigestAlgorithm algorithm = UdfDigestAlgorithm.Sha2_512)
    {
        CheckBits(bits);
        Span<byte> digest = stackalloc byte[DigestLength];
        Hash(algorithm, data, digest);
        return ContentDigestOfDigest(digest, contentType, bits, algorithm);
    }

    /// <summary>The content digest UDF of a stream (a file), hashed without loading it whole.</summary>
    public static string ContentDigest(Stream data, string contentType, int bits = DefaultBits,
        UdfDigestAlgorithm algorithm = UdfDigestAlgorithm.Sha2_512)
    {
        CheckBits(bits);
        var digest = Digest.Compute(DigestName(algorithm), data);
        return ContentDigestOfDigest(digest, contentType, bits, algorithm);
    }

    /// <summary>
    /// The content digest UDF from an already computed content digest value H(data), so one
    /// hash of the data can be matched against several content types.
    /// </summary>
    public static string ContentDigestOfDigest(ReadOnlySpan<byte> contentDigest, string contentType, int bits = DefaultBits,
        UdfDigestAlgorithm algorithm = UdfDigestAlgorithm.Sha2_512)
    {
        CheckBits(bits);
        Span<byte> binary = stackalloc byte[1 + DigestLength];
        TypedDigest(contentDigest, contentType, algorithm, binary);
        return Base32.Encode(binary, bits / 5);
    }

    /// <summary>
    /// The full binary UDF (type code then the 64-byte typed content digest value),
    /// <c>type || H(UTF8(contentType) || ':' || H(data))</c>, with the compression code applied.
    /// </summary>
    public static byte[] ContentDigestBinary(ReadOnlySpan<byte> data, string contentType,
        UdfDigestAlgorithm algorithm = UdfDigestAlgorithm.Sha2_512)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        Hash(algorithm, data, digest);
        var binary = new byte[1 + DigestLength];
        TypedDigest(digest, contentType, algorithm, binary);
        return binary;
    }

    static void TypedDigest(ReadOnlySpan<byte> contentDigest, string contentType, UdfDigestAlgorithm algorithm, Span<byte> binary)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        var buffer = TypedInput(contentDigest, contentType, out var rented);
        try
        {
            Hash(algorithm, buffer, binary[1..]);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        var baseCode = algorithm == UdfDigestAlgorithm.Sha2_512 ? UdfTypeCode.DigestSha2_512 : UdfTypeCode.DigestSha3_512;
        binary[0] = (byte)((byte)baseCode + CompressionLevel(binary[1..]));
    }

    // UTF8(contentType) || ':' || digest, in a pooled buffer (content types are short).
    static ReadOnlySpan<byte> TypedInput(ReadOnlySpan<byte> digest, string contentType, out byte[] rented)
    {
        var typeLength = Encoding.UTF8.GetByteCount(contentType);
        var length = typeLength + 1 + digest.Length;
        rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        var span = rented.AsSpan(0, length);
        Encoding.UTF8.GetBytes(contentType, span);
        span[typeLength] = (byte)':';
        digest.CopyTo(span[(typeLength + 1)..]);
        return span;
    }

    /// <summary>
    /// Compression level 0-4 from the trailing zero bits of the typed digest (20, 30, 40, 50 or
    /// more); "trailing" are the least significant bits of the last octets, as in the
    /// UDFDigestLong compressed example.
    /// </summary>
    internal static int CompressionLevel(ReadOnlySpan<byte> typedDigest)
    {
        var zeros = 0;
        for (var i = typedDigest.Length - 1; i >= 0 && zeros < 50; i--)
        {
            if (typedDigest[i] == 0)
            {
                zeros += 8;
                continue;
            }
            zeros += System.Numerics.BitOperations.TrailingZeroCount(typedDigest[i]);
            break;
        }
        return zeros switch { >= 50 => 4, >= 40 => 3, >= 30 => 2, >= 20 => 1, _ => 0 };
    }

    /// <summary>
    /// True when <paramref name="udf"/> is the content digest of <paramref name="data"/>; the
    /// presented precision must be at least <paramref name="minimumBits"/>. Lower precision
    /// presentations are prefixes of higher ones, so any valid precision matches.
    /// </summary>
    public static bool MatchesContent(string udf, ReadOnlySpan<byte> data, string contentType, int minimumBits = MinimumBits)
    {
        var value = Parse(udf);
        if (value.Kind != UdfKind.ContentDigest) return false;
        if (value.PresentedBits < minimumBits) return false;
        var algorithm = value.Type >= UdfTypeCode.DigestSha2_512 ? UdfDigestAlgorithm.Sha2_512 : UdfDigestAlgorithm.Sha3_512;
        var binary = ContentDigestBinary(data, contentType, algorithm);
        var presented = Base32.Encode(binary, value.PresentedBits / 5, dashes: false);
        var given = Canonical(udf);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(given));
    }

    #endregion
    #region Authenticators

    /// <summary>
    /// The authenticator UDF (HMAC-SHA-2-512, type 0) of <paramref name="data"/> under the text
    /// key <paramref name="key"/>: MAC(OKM, UTF8(contentType) || ':' || H(data)) where
    /// OKM = HKDF-Expand(HMAC("KeyedUDFMaster", UTF8(key)), "KeyedUDFExpand", 64). Never compressed.
    /// </summary>
    public static string Authenticator(ReadOnlySpan<byte> data, string contentType, string key, int bits = DefaultBits)
    {
        CheckBits(bits);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> digest = stackalloc byte[DigestLength];
        SHA512.HashData(data, digest);
        Span<byte> macKey = stackalloc byte[DigestLength];
        AuthenticatorKey(key, macKey);
        Span<byte> binary = stackalloc byte[1 + DigestLength];
        var input = TypedInput(digest, contentType, out var rented);
        try
        {
            HMACSHA512.HashData(macKey, input, binary[1..]);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            CryptographicOperations.ZeroMemory(macKey);
        }
        binary[0] = (byte)UdfTypeCode.AuthenticatorHmacSha2_512;
        return Base32.Encode(binary, bits / 5);
    }

    static readonly byte[] KeyedUdfMaster = "KeyedUDFMaster"u8.ToArray();
    static readonly byte[] KeyedUdfExpand = "KeyedUDFExpand"u8.ToArray();

    internal static void AuthenticatorKey(string key, Span<byte> macKey)
    {
        var ikm = Encoding.UTF8.GetBytes(key);
        var prk = HKDF.Extract(HashAlgorithmName.SHA512, ikm, KeyedUdfMaster);
        HKDF.Expand(HashAlgorithmName.SHA512, prk, macKey, KeyedUdfExpand);
        CryptographicOperations.ZeroMemory(prk);
        CryptographicOperations.ZeroMemory(ikm);
    }

    #endregion
    #region Fixed length UDFs

    /// <summary>A fresh random nonce UDF (type N) of <paramref name="bits"/> random bits (a multiple of 8, 64 to 512).</summary>
    public static string Nonce(int bits = 128) => Present(UdfTypeCode.Nonce, RandomBytes(bits));

    /// <summary>A fresh random encryption/authentication key UDF (type E).</summary>
    public static string EncryptionKey(int bits = 128)
    {
        var key = RandomBytes(bits);
        try
        {
            return EncryptionKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The encryption/authentication key UDF (type E) of <paramref name="key"/>.</summary>
    public static string EncryptionKey(ReadOnlySpan<byte> key) => Present(UdfTypeCode.EncryptionHkdfAes512, key);

    /// <summary>The OID identified sequence UDF (type O) of a DER encoded KeyInfo.</summary>
    public static string Oid(ReadOnlySpan<byte> der) => Present(UdfTypeCode.Oid, der);

    /// <summary>The OID identified sequence UDF (type O) carrying <paramref name="key"/>'s public key.</summary>
    public static string Oid(KeyPair key) => Oid(PublicKeyInfo.Encode(key));

    /// <summary>The key fingerprint (content digest of the KeyInfo) that identifies a public key.</summary>
    public static string KeyFingerprint(KeyPair key, int bits = DefaultBits) =>
        ContentDigest(PublicKeyInfo.Encode(key), UdfContentTypes.KeyInfo, bits);

    /// <summary>
    /// The identifier under which content encrypted with an encryption key UDF is published
    /// (EARL resolution): the SHA-2-512 content digest of the UDF text at twice the default precision.
    /// </summary>
    public static string EncryptionKeyIdentifier(string encryptionKeyUdf, int bits = 2 * DefaultBits)
    {
        Parse(encryptionKeyUdf, UdfKind.EncryptionKey);
        return ContentDigest(Encoding.UTF8.GetBytes(encryptionKeyUdf.Trim()), UdfContentTypes.EncryptionKeyIdentifier, bits);
    }

    /// <summary>Presents a fixed length UDF in full: type code then <paramref name="data"/>, never truncated.</summary>
    public static string Present(UdfTypeCode type, ReadOnlySpan<byte> data)
    {
        var length = 1 + data.Length;
        Span<byte> binary = length <= 256 ? stackalloc byte[length] : new byte[length];
        binary[0] = (byte)type;
        data.CopyTo(binary[1..]);
        var text = Base32.Encode(binary);
        CryptographicOperations.ZeroMemory(binary);
        return text;
    }

    static byte[] RandomBytes(int bits)
    {
        if (bits < 64 || bits > 512 || bits % 8 != 0)
        {
            throw new MeshFormatException($"random UDF size must be a multiple of 8 bits from 64 to 512, got {bits}");
        }
        return RandomNumberGenerator.GetBytes(bits / 8);
    }

    #endregion
    #region Parsing

    /// <summary>
    /// Parses a UDF in Base32 presentation (dashes and case ignored; a "udf:" URI is not accepted
    /// here, see <see cref="UdfUri"/>). Unassigned type codes, bad characters and impossible
    /// lengths are <see cref="MeshFormatException"/>s naming the problem.
    /// </summary>
    public static UdfValue Parse(string udf)
    {
        ArgumentNullException.ThrowIfNull(udf);
        var text = udf.AsSpan().Trim();
        if (text.IsEmpty) throw new MeshFormatException("UDF is empty");
        var binary = Base32.Decode(text);
        var chars = text.Length - text.Count('-');
        if (binary.Length < 2) throw new MeshFormatException($"UDF '{udf}' is too short: {chars} characters hold no data after the type code");
        var code = binary[0];
        if (!UdfTypeCodes.IsAssigned(code))
        {
            throw new MeshFormatException($"UDF '{udf}' has unassigned type code {code} (initial '{text[0]}')");
        }
        var type = (UdfTypeCode)code;
        var bits = chars * 5;
        if (type.Kind() is UdfKind.ContentDigest or UdfKind.Authenticator)
        {
            if (bits < MinimumBits) throw new MeshFormatException($"UDF '{udf}' has {bits} bits of precision, below the minimum of {MinimumBits}");
            if (bits > MaximumBits + 4) throw new MeshFormatException($"UDF '{udf}' has {bits} bits, more than a 512-bit digest holds");
        }
        return new UdfValue(type, binary[1..], bits);
    }

    /// <summary>Parses and requires the kind <paramref name="expected"/>.</summary>
    public static UdfValue Parse(string udf, UdfKind expected)
    {
        var value = Parse(udf);
        if (value.Kind != expected)
        {
            throw new MeshFormatException($"UDF '{udf}' is a {Describe(value.Kind)}, expected a {Describe(expected)}");
        }
        return value;
    }

    /// <summary>The canonical (upper-case, undashed) form used for comparison.</summary>
    public static string Canonical(string udf)
    {
        ArgumentNullException.ThrowIfNull(udf);
        return udf.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    static string Describe(UdfKind kind) => kind switch
    {
        UdfKind.ContentDigest => "content digest",
        UdfKind.Authenticator => "authenticator",
        UdfKind.EncryptionKey => "encryption key",
        UdfKind.Nonce => "nonce",
        UdfKind.Oid => "OID sequence",
        UdfKind.Share => "secret share",
        _ => "key derivation seed",
    };

    #endregion

    static void CheckBits(int bits)
    {
        if (bits < MinimumBits || bits > MaximumBits || bits % BitsStep != 0)
        {
            throw new MeshFormatException($"UDF precision must be a multiple of {BitsStep} bits from {MinimumBits} to {MaximumBits}, got {bits}");
        }
    }

    static void Hash(UdfDigestAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> output) =>
        Digest.Compute(DigestName(algorithm), data, output);

    static string DigestName(UdfDigestAlgorithm algorithm) =>
        algorithm == UdfDigestAlgorithm.Sha2_512 ? MeshAlgorithms.Sha2_512 : MeshAlgorithms.Sha3_512;
}
