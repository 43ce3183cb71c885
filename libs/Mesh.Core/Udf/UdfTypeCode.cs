namespace Mesh.Core.Udf;

/// <summary>
/// UDF type identifier octets (draft-hallambaker-mesh-udf, UDFConstantsTypeIdentifier). The
/// codes make the first Base32 character a mnemonic: A(uthenticator), E(ncryption), K(eccak),
/// M(erkle-Damgård), N(once), O(ID), S(hare), Z (seed).
/// </summary>
public enum UdfTypeCode : byte
{
    AuthenticatorHmacSha2_512 = 0,
    AuthenticatorHmacSha3_512 = 1,
    EncryptionHkdfAes512 = 32,
    EncryptionSignatureHkdfAes512 = 33,
    DigestSha3_512 = 80,
    DigestSha3_512Compressed20 = 81,
    DigestSha3_512Compressed30 = 82,
    DigestSha3_512Compressed40 = 83,
    DigestSha3_512Compressed50 = 84,
    DigestSha2_512 = 96,
    DigestSha2_512Compressed20 = 97,
    DigestSha2_512Compressed30 = 98,
    DigestSha2_512Compressed40 = 99,
    DigestSha2_512Compressed50 = 100,
    Nonce = 104,
    Oid = 112,
    ShamirSecret = 144,
    DerivedKey = 200,
}

/// <summary>The digest behind a content digest UDF.</summary>
public enum UdfDigestAlgorithm
{
    Sha2_512,
    Sha3_512,
}

/// <summary>What a UDF holds, as told by its type code.</summary>
public enum UdfKind
{
    ContentDigest,
    Authenticator,
    EncryptionKey,
    Nonce,
    Oid,
    Share,
    DerivedKey,
}

public static class UdfTypeCodes
{
    /// <summary>The kind of <paramref name="code"/>, or a <see cref="MeshFormatException"/> for an unassigned code.</summary>
    public static UdfKind Kind(this UdfTypeCode code) => code switch
    {
        UdfTypeCode.AuthenticatorHmacSha2_512 or UdfTypeCode.AuthenticatorHmacSha3_512 => UdfKind.Authenticator,
        UdfTypeCode.EncryptionHkdfAes512 or UdfTypeCode.EncryptionSignatureHkdfAes512 => UdfKind.EncryptionKey,
        >= UdfTypeCode.DigestSha3_512 and <= UdfTypeCode.DigestSha3_512Compressed50 => UdfKind.ContentDigest,
        >= UdfTypeCode.DigestSha2_512 and <= UdfTypeCode.DigestSha2_512Compressed50 => UdfKind.ContentDigest,
        UdfTypeCode.Nonce => UdfKind.Nonce,
        UdfTypeCode.Oid => UdfKind.Oid,
        UdfTypeCode.ShamirSecret => UdfKind.Share,
        UdfTypeCode.DerivedKey => UdfKind.DerivedKey,
        _ => throw new MeshFormatException($"UDF type code {(byte)code} is not assigned"),
    };

    public static bool IsAssigned(byte code) => Enum.IsDefined((UdfTypeCode)code);

    /// <summary>Trailing zero bits the digest carries for a compressed content digest code (0, 20, 30, 40, 50).</summary>
    public static int CompressionBits(this UdfTypeCode code) => code switch
    {
        UdfTypeCode.DigestSha2_512Compressed20 or UdfTypeCode.DigestSha3_512Compressed20 => 20,
        UdfTypeCode.DigestSha2_512Compressed30 or UdfTypeCode.DigestSha3_512Compressed30 => 30,
        UdfTypeCode.DigestSha2_512Compressed40 or UdfTypeCode.DigestSha3_512Compressed40 => 40,
        UdfTypeCode.DigestSha2_512Compressed50 or UdfTypeCode.DigestSha3_512Compressed50 => 50,
        _ => 0,
    };
}

/// <summary>Content types used in UDF computations.</summary>
public static class UdfContentTypes
{
    public const string TextPlain = "text/plain";
    public const string OctetStream = "application/octet-stream";
    public const string PkixCert = "application/pkix-cert";
    public const string UdfList = "application/udf-list";

    /// <summary>
    /// Content type of public key fingerprints. The draft names "application/pkix-keyinfo";
    /// the reference implementation that made every Mesh vector uses the literal "PKIXKey"
    /// (its generated constant holds the label, not the media type). We follow the vectors.
    /// </summary>
    public const string KeyInfo = "PKIXKey";

    /// <summary>
    /// Content type of an encryption key's locator identifier (EARL resolution). The draft
    /// names "application/udf-encryption"; the reference uses the literal "UDFEncryption".
    /// </summary>
    public const string EncryptionKeyIdentifier = "UDFEncryption";
}
