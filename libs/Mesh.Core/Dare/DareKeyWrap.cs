using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>AES key wrap (RFC 3394, default IV) of the master key under the agreement-derived key.</summary>
internal static class DareKeyWrap
{
    static readonly byte[] DefaultIv = [0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6];

    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> key)
    {
        if (key.Length % 8 != 0 || key.Length < 16) throw new MeshCryptoException("key to wrap must be a multiple of 8 bytes, at least 16");
        var n = key.Length / 8;
        var a = DefaultIv.ToArray();
        var r = key.ToArray();
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        var block = new byte[16];
        for (var j = 0; j < 6; j++)
        {
            for (var i = 0; i < n; i++)
            {
                a.CopyTo(block, 0);
                Array.Copy(r, i * 8, block, 8, 8);
                var b = aes.EncryptEcb(block, PaddingMode.None);
                var t = (ulong)(n * j + i + 1);
                for (var k = 0; k < 8; k++) a[k] = (byte)(b[k] ^ (byte)(t >> (8 * (7 - k))));
                Array.Copy(b, 8, r, i * 8, 8);
            }
        }
        var output = new byte[key.Length + 8];
        a.CopyTo(output, 0);
        r.CopyTo(output, 8);
        return output;
    }

    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        if (wrapped.Length % 8 != 0 || wrapped.Length < 24) throw new MeshFormatException("wrapped master key has an invalid length");
        var n = wrapped.Length / 8 - 1;
        var a = wrapped[..8].ToArray();
        var r = wrapped[8..].ToArray();
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        var block = new byte[16];
        for (var j = 5; j >= 0; j--)
        {
            for (var i = n - 1; i >= 0; i--)
            {
                var t = (ulong)(n * j + i + 1);
                for (var k = 0; k < 8; k++) block[k] = (byte)(a[k] ^ (byte)(t >> (8 * (7 - k))));
                Array.Copy(r, i * 8, block, 8, 8);
                var b = aes.DecryptEcb(block, PaddingMode.None);
                Array.Copy(b, a, 8);
                Array.Copy(b, 8, r, i * 8, 8);
            }
        }
        if (!CryptographicOperations.FixedTimeEquals(a, DefaultIv))
        {
            CryptographicOperations.ZeroMemory(r);
            throw new MeshCryptoException("wrapped master key failed its integrity check: wrong recipient key or tampered wmk");
        }
        return r;
    }
}
