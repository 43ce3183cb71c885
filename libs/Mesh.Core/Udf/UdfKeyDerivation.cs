using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Mesh.Core.Cryptography;

namespace Mesh.Core.Udf;

/// <summary>Key algorithms a derivation seed may name (UDFConstantsAlgorithmIdentifier).</summary>
public enum UdfKeyAlgorithm : ushort
{
    Any = 0,
    X25519 = 1,
    X448 = 2,
    Ed25519 = 3,
    Ed448 = 4,
    P256 = 5,
    P384 = 6,
    P521 = 7,
    Rsa2048 = 8,
    Rsa3072 = 9,
    Rsa4096 = 10,
    Rsa6144 = 11,
    Rsa8192 = 12,
    Rsa15360 = 13,
    MeshProfileDevice = 256,
    MeshActivationDevice = 257,
    MeshProfileAccount = 258,
    MeshActivationAccount = 259,
    MeshProfileService = 260,
    MeshActivationService = 261,
}

/// <summary>Key uses in bits 6-7 of the key specifier's first octet (UDFConstantsKeyUses).</summary>
public enum UdfKeyUse
{
    Any = 0,
    Encryption = 1,
    Signature = 2,
    Authentication = 3,
}

/// <summary>
/// Deterministic key pairs from a key derivation seed UDF (type Z, 200). The Binary Data
/// Sequence is a two-octet key specifier (use, algorithm) then the seed. IKM is that whole
/// sequence, the HKDF salt is empty and the hash SHA-2-512.
/// </summary>
public static class UdfKeyDerivation
{
    /// <summary>A seed UDF for <paramref name="algorithm"/> holding <paramref name="seed"/> (at least 16 bytes).</summary>
    public static string Seed(UdfKeyAlgorithm algorithm, ReadOnlySpan<byte> seed, UdfKeyUse use = UdfKeyUse.Any)
    {
        if (seed.Length < 16) throw new MeshCryptoException($"a key derivation seed must be at least 16 bytes, got {seed.Length}");
        var data = new byte[2 + seed.Length];
        var specifier = (int)use << 14 | (int)algorithm;
        data[0] = (byte)(specifier >> 8);
        data[1] = (byte)specifier;
        seed.CopyTo(data.AsSpan(2));
        var text = Udf.Present(UdfTypeCode.DerivedKey, data);
        CryptographicOperations.ZeroMemory(data);
        return text;
    }

    /// <summary>A fresh random seed UDF.</summary>
    public static string NewSeed(UdfKeyAlgorithm algorithm, int bits = 128, UdfKeyUse use = UdfKeyUse.Any)
    {
        if (bits < 128 || bits % 8 != 0) throw new MeshCryptoException($"seed size must be a multiple of 8 bits, at least 128, got {bits}");
        var seed = RandomNumberGenerator.GetBytes(bits / 8);
        try
        {
            return Seed(algorithm, seed, use);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The algorithm and key use a seed UDF names.</summary>
    public static (UdfKeyAlgorithm Algorithm, UdfKeyUse Use) Specifier(string seedUdf)
    {
        var data = ParseSeed(seedUdf);
        return ((UdfKeyAlgorithm)((data[0] & 0x3F) << 8 | data[1]), (UdfKeyUse)(data[0] >> 6));
    }

    /// <summary>
    /// Derives the key pair a seed names. A seed for "Any" (or a Mesh profile role) needs
    /// <paramref name="target"/> to say which CFRG algorithm to derive; <paramref name="keyName"/>
    /// lets one seed yield several keys. NIST and RSA seeds are refused: those key types are not
    /// supported here (see <see cref="DeriveNistScalar"/> for the NIST private scalar).
    /// </summary>
    public static KeyPair DeriveKey(string seedUdf, UdfKeyAlgorithm? target = null, string? keyName = null)
    {
        var ikm = ParseSeed(seedUdf);
        try
        {
            var named = (UdfKeyAlgorithm)((ikm[0] & 0x3F) << 8 | ikm[1]);
            var algorithm = named switch
            {
                UdfKeyAlgorithm.X25519 or UdfKeyAlgorithm.X448 or UdfKeyAlgorithm.Ed25519 or UdfKeyAlgorithm.Ed448 =>
                    target is null || target == named ? named
                    : throw new MeshCryptoException($"seed is for {named}, not {target}"),
                UdfKeyAlgorithm.Any or >= UdfKeyAlgorithm.MeshProfileDevice and <= UdfKeyAlgorithm.MeshActivationService =>
                    target ?? throw new MeshCryptoException($"seed is for {named}: say which algorithm to derive"),
                _ => throw NotSupported(named),
            };
            var (name, length) = algorithm switch
            {
                UdfKeyAlgorithm.X25519 => (MeshAlgorithms.X25519, 32),
                UdfKeyAlgorithm.X448 => (MeshAlgorithms.X448, 56),
                UdfKeyAlgorithm.Ed25519 => (MeshAlgorithms.Ed25519, 32),
                // RFC 8032 needs 57 octets; the draft's L = 448 bits is a prefix of this output.
                UdfKeyAlgorithm.Ed448 => (MeshAlgorithms.Ed448, 57),
                _ => throw NotSupported(algorithm),
            };
            var okm = new byte[length];
            try
            {
                DeriveOkm(ikm, Info(algorithm, keyName), okm);
                Clamp(algorithm, okm);
                return KeyPair.FromPrivate(name, okm);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(okm);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary>
    /// The HKDF output keying material for a CFRG algorithm: info is the target key specifier
    /// (then the UTF-8 key name), L the private key length.
    /// </summary>
    public static byte[] DeriveOkm(string seedUdf, UdfKeyAlgorithm algorithm, int length, string? keyName = null)
    {
        var ikm = ParseSeed(seedUdf);
        var okm = new byte[length];
        DeriveOkm(ikm, Info(algorithm, keyName), okm);
        CryptographicOperations.ZeroMemory(ikm);
        return okm;
    }

    /// <summary>
    /// The private scalar d of a P-256/P-384/P-521 seed: c = HKDF(IKM, info = empty, L = 320/448/592
    /// bits) read big-endian, d = (c mod (p − 1)) + 1. The reference reduces by the field prime p
    /// (the draft text says n); the UDFDeriveNIST vectors need p.
    /// </summary>
    public static BigInteger DeriveNistScalar(string seedUdf)
    {
        var ikm = ParseSeed(seedUdf);
        var algorithm = (UdfKeyAlgorithm)((ikm[0] & 0x3F) << 8 | ikm[1]);
        var (bits, p) = algorithm switch
        {
            UdfKeyAlgorithm.P256 => (320, (BigInteger.One << 256) - (BigInteger.One << 224) + (BigInteger.One << 192) + (BigInteger.One << 96) - 1),
            UdfKeyAlgorithm.P384 => (448, (BigInteger.One << 384) - (BigInteger.One << 128) - (BigInteger.One << 96) + (BigInteger.One << 32) - 1),
            UdfKeyAlgorithm.P521 => (592, (BigInteger.One << 521) - 1),
            _ => throw new MeshCryptoException($"seed is for {algorithm}, not a NIST curve"),
        };
        var okm = new byte[bits / 8];
        DeriveOkm(ikm, [], okm);
        var c = new BigInteger(okm, isUnsigned: true, isBigEndian: true);
        CryptographicOperations.ZeroMemory(okm);
        CryptographicOperations.ZeroMemory(ikm);
        return c % (p - 1) + 1;
    }

    static void DeriveOkm(byte[] ikm, byte[] info, Span<byte> okm) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA512, ikm, okm, [], info);

    static byte[] Info(UdfKeyAlgorithm algorithm, string? keyName)
    {
        var name = keyName is null ? [] : Encoding.UTF8.GetBytes(keyName);
        var info = new byte[2 + name.Length];
        info[0] = (byte)((int)algorithm >> 8);
        info[1] = (byte)algorithm;
        name.CopyTo(info, 2);
        return info;
    }

    // RFC 7748 clamping, so the exported private key is the scalar actually used.
    static void Clamp(UdfKeyAlgorithm algorithm, Span<byte> key)
    {
        if (algorithm == UdfKeyAlgorithm.X25519)
        {
            key[0] &= 248;
            key[31] = (byte)(key[31] & 127 | 64);
        }
        else if (algorithm == UdfKeyAlgorithm.X448)
        {
            key[0] &= 252;
            key[55] |= 128;
        }
    }

    static byte[] ParseSeed(string seedUdf)
    {
        var value = Udf.Parse(seedUdf, UdfKind.DerivedKey);
        if (value.Data.Length < 2 + 16)
        {
            throw new MeshFormatException($"seed '{seedUdf}' is too short: a key specifier and at least 16 bytes of seed are needed");
        }
        return value.Data;
    }

    static MeshCryptoException NotSupported(UdfKeyAlgorithm algorithm) =>
        new($"deriving {algorithm} keys is not supported (only X25519, X448, Ed25519 and Ed448 key pairs)");
}
