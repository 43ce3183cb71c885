using System.Security.Cryptography;
using System.Text;
using Mesh.Core;

namespace Mesh.Client.State;

/// <summary>
/// Seals small secrets (seed UDFs) at rest: AES-256-GCM under a key derived with HKDF-SHA-256
/// from the 32-byte device key file, the file's name inside the home as associated data so a
/// sealed file cannot be swapped for another. Layout: "MSB1" ‖ nonce(12) ‖ tag(16) ‖ ciphertext.
/// See docs/decisions/0004-client-state.md.
/// </summary>
public sealed class SecretBox : IDisposable
{
    static readonly byte[] Magic = "MSB1"u8.ToArray();
    static readonly byte[] Info = "mesh-client/sealed-file/v1"u8.ToArray();
    const int NonceSize = 12, TagSize = 16, HeaderSize = 4 + NonceSize + TagSize;

    readonly byte[] key = new byte[32];

    public SecretBox(ReadOnlySpan<byte> deviceKey)
    {
        if (deviceKey.Length != 32) throw new MeshClientException($"the device key must be 32 bytes, got {deviceKey.Length}");
        HKDF.DeriveKey(HashAlgorithmName.SHA256, deviceKey, key, [], Info);
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, string label)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        Magic.CopyTo(output, 0);
        var nonce = output.AsSpan(4, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagSize);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(4 + NonceSize, TagSize), Encoding.UTF8.GetBytes(label));
        return output;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedData, string label)
    {
        if (sealedData.Length < HeaderSize || !sealedData[..4].SequenceEqual(Magic))
            throw new MeshFormatException($"'{label}' is not a sealed file (bad header)");
        var plaintext = new byte[sealedData.Length - HeaderSize];
        using var gcm = new AesGcm(key, TagSize);
        try
        {
            gcm.Decrypt(sealedData.Slice(4, NonceSize), sealedData[HeaderSize..], sealedData.Slice(4 + NonceSize, TagSize),
                plaintext, Encoding.UTF8.GetBytes(label));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new MeshCryptoException($"'{label}' does not open under this device key (altered, moved or from another device)", e);
        }
        return plaintext;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(key);
}
