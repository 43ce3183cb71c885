using System.Security.Cryptography;
using Mesh.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Mesh.ServiceDefaults.Security;

/// <summary>
/// The key-encryption key of <see cref="ConfigKeys.KeyEncryptionKey"/> (32 bytes, base64): the account
/// service seals the private keys it stores with it, and the gateway opens the host signature key
/// with it (docs/decisions/0003-host-key.md). Sealed form: nonce (12) ‖ ciphertext ‖ tag (16),
/// AES-256-GCM, the associated data names what the key is (its UDF), so a sealed key cannot be
/// passed off as another one.
/// </summary>
public sealed class KeyEncryptionKey : IDisposable
{
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _key;

    public KeyEncryptionKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
            throw new MeshConfigurationException($"Configuration '{ConfigKeys.KeyEncryptionKey}' must be {KeyLength} bytes (base64), got {key.Length}.");
        _key = key.ToArray();
    }

    /// <summary>Reads the key from configuration; the message names the key, never its value.</summary>
    public static KeyEncryptionKey FromConfiguration(IConfiguration configuration)
    {
        var text = configuration.GetRequired(ConfigKeys.KeyEncryptionKey);
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var written))
            throw new MeshConfigurationException($"Configuration '{ConfigKeys.KeyEncryptionKey}' is not base64.");
        try
        {
            return new KeyEncryptionKey(buffer.AsSpan(0, written));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public byte[] Seal(ReadOnlySpan<byte> secret, string associatedData)
    {
        var sealedKey = new byte[NonceLength + secret.Length + TagLength];
        var nonce = sealedKey.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, secret, sealedKey.AsSpan(NonceLength, secret.Length), sealedKey.AsSpan(NonceLength + secret.Length), System.Text.Encoding.UTF8.GetBytes(associatedData));
        return sealedKey;
    }

    /// <summary>The secret; the caller zeroes it after use. A wrong key or altered data is a <see cref="KeySealException"/>.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedKey, string associatedData)
    {
        if (sealedKey.Length < NonceLength + TagLength)
            throw new KeySealException($"sealed key for '{associatedData}' is {sealedKey.Length} bytes, shorter than nonce and tag");
        var length = sealedKey.Length - NonceLength - TagLength;
        var secret = new byte[length];
        using var aes = new AesGcm(_key, TagLength);
        try
        {
            aes.Decrypt(sealedKey[..NonceLength], sealedKey.Slice(NonceLength, length), sealedKey[(NonceLength + length)..], secret,
                System.Text.Encoding.UTF8.GetBytes(associatedData));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new KeySealException($"sealed key for '{associatedData}' does not open: wrong key-encryption key or altered data", e);
        }
        return secret;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}

/// <summary>A sealed key does not open under the configured key-encryption key.</summary>
public sealed class KeySealException(string message, Exception? inner = null) : Exception(message, inner);
