namespace Mesh.Core.Cryptography;

/// <summary>
/// The DER "KeyInfo" (SubjectPublicKeyInfo) over which Mesh key fingerprints are computed, in the
/// form the reference implementation produces (draft-hallambaker-mesh-udf, UDFOID example):
/// <c>SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING { OCTET STRING key } }</c>.
/// Two reference quirks are kept so fingerprints match its vectors: the key sits in an OCTET
/// STRING inside the BIT STRING, and the OID is id-Ed25519 for every curve (checked against the
/// X25519/Ed25519 derivation vectors and the X448/Ed448 keys of SchemaAliceProfile).
/// The reference writes X448 public keys in a 57-byte form (its last octet 0x00 or 0x80), not
/// RFC 7748's 56-byte u-coordinate, so our X448 fingerprints differ from its fingerprints of the
/// same key (see docs/conformance/udf.md); the encoding of given bytes is the same.
/// </summary>
public static class PublicKeyInfo
{
    // 1.3.101.112 (id-Ed25519), RFC 8410.
    static ReadOnlySpan<byte> AlgorithmIdentifier => [0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70];

    public static byte[] Encode(KeyPair key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Encode(key.Algorithm, key.PublicKey);
    }

    public static byte[] Encode(string algorithm, ReadOnlySpan<byte> publicKey)
    {
        var alg = MeshAlgorithms.KeyAlgorithm(algorithm);
        var keyLength = publicKey.Length;
        var octetString = 2 + keyLength;          // 04 len key
        var bitString = 2 + 1 + octetString;      // 03 len 00 octets
        var body = AlgorithmIdentifier.Length + bitString;
        if (body > 127) throw new MeshCryptoException($"{alg} public key too long for a short-form KeyInfo");

        var result = new byte[2 + body];
        var span = result.AsSpan();
        span[0] = 0x30;
        span[1] = (byte)body;
        AlgorithmIdentifier.CopyTo(span[2..]);
        var at = 2 + AlgorithmIdentifier.Length;
        span[at++] = 0x03;
        span[at++] = (byte)(1 + octetString);
        span[at++] = 0x00;
        span[at++] = 0x04;
        span[at++] = (byte)keyLength;
        publicKey.CopyTo(span[at..]);
        return result;
    }
}
