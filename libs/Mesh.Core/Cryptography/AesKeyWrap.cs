using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mesh.Core.Cryptography;

/// <summary>AES Key Wrap (RFC 3394 §2.2, default IV A6A6A6A6A6A6A6A6) built on single-block AES-ECB.</summary>
public static class AesKeyWrap
{
    const ulong DefaultIv = 0xA6A6A6A6A6A6A6A6;

    /// <summary>Wraps <paramref name="keyData"/> (a multiple of 8 bytes, at least 16) under a 16/24/32-byte KEK.</summary>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> keyData)
    {
        if (keyData.Length < 16 || keyData.Length % 8 != 0)
        {
            throw new MeshCryptoException($"key data to wrap must be a multiple of 8 bytes and at least 16, got {keyData.Length}");
        }
        using var aes = Create(kek);
        var n = keyData.Length / 8;
        var output = new byte[keyData.Length + 8];
        keyData.CopyTo(output.AsSpan(8));
        Span<byte> block = stackalloc byte[16];
        var a = DefaultIv;
        for (var j = 0; j < 6; j++)
        {
            for (var i = 1; i <= n; i++)
            {
                var r = output.AsSpan(8 * i, 8);
                BinaryPrimitives.WriteUInt64BigEndian(block, a);
                r.CopyTo(block[8..]);
                aes.EncryptEcb(block, block, PaddingMode.None);
                a = BinaryPrimitives.ReadUInt64BigEndian(block) ^ (ulong)(n * j + i);
                block[8..].CopyTo(r);
            }
        }
        BinaryPrimitives.WriteUInt64BigEndian(output, a);
        CryptographicOperations.ZeroMemory(block);
        return output;
    }

    /// <summary>Unwraps and checks the integrity value; a wrong KEK or altered data is a <see cref="MeshCryptoException"/>.</summary>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length < 24 || wrapped.Length % 8 != 0)
        {
            throw new MeshCryptoException($"wrapped key must be a multiple of 8 bytes and at least 24, got {wrapped.Length}");
        }
        using var aes = Create(kek);
        var n = wrapped.Length / 8 - 1;
        var output = wrapped[8..].ToArray();
        var a = BinaryPrimitives.ReadUInt64BigEndian(wrapped);
        Span<byte> block = stackalloc byte[16];
        for (var j = 5; j >= 0; j--)
        {
            for (var i = n; i >= 1; i--)
            {
                var r = output.AsSpan(8 * (i - 1), 8);
                BinaryPrimitives.WriteUInt64BigEndian(block, a ^ (ulong)(n * j + i));
                r.CopyTo(block[8..]);
                aes.DecryptEcb(block, block, PaddingMode.None);
                a = BinaryPrimitives.ReadUInt64BigEndian(block);
                block[8..].CopyTo(r);
            }
        }
        CryptographicOperations.ZeroMemory(block);
        Span<byte> check = stackalloc byte[8];
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(check, a);
        BinaryPrimitives.WriteUInt64BigEndian(expected, DefaultIv);
        if (!CryptographicOperations.FixedTimeEquals(check, expected))
        {
            CryptographicOperations.ZeroMemory(output);
            throw new MeshCryptoException("AES key unwrap failed: wrong key-encryption key or corrupted wrapped key");
        }
        return output;
    }

    static Aes Create(ReadOnlySpan<byte> kek)
    {
        if (kek.Length is not (16 or 24 or 32))
        {
            throw new MeshCryptoException($"key-encryption key must be 16, 24 or 32 bytes, got {kek.Length}");
        }
        var aes = Aes.Create();
        aes.Key = kek.ToArray();
        return aes;
    }
}
