using System.Security.Cryptography;

namespace Mesh.Core.Cryptography;

/// <summary>AES-256-CBC with PKCS#7 padding (the DARE "A256CBC" bulk cipher).</summary>
public static class AesCbc
{
    public const int KeyLength = 32;
    public const int IvLength = 16;

    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> plaintext)
    {
        using var aes = Create(key, iv);
        return aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length == 0 || ciphertext.Length % 16 != 0)
        {
            throw new MeshCryptoException($"AES-CBC ciphertext must be a non-empty multiple of 16 bytes, got {ciphertext.Length}");
        }
        using var aes = Create(key, iv);
        try
        {
            return aes.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new MeshCryptoException("AES-CBC decryption failed: bad key or corrupted ciphertext", e);
        }
    }

    static Aes Create(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != KeyLength) throw new MeshCryptoException($"AES-256 key must be {KeyLength} bytes, got {key.Length}");
        if (iv.Length != IvLength) throw new MeshCryptoException($"AES-CBC IV must be {IvLength} bytes, got {iv.Length}");
        var aes = Aes.Create();
        aes.Key = key.ToArray();
        return aes;
    }
}
