using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// Encoded Data Sequences (annotations): JSON-B data items for the salt prefix, the body and an
/// optional authentication tag. Encrypted bodies use the envelope master key with
/// salt = prefix || master salt.
/// </summary>
public static class DareEds
{
    const byte DataTerm = 0x88;

    public static byte[] Encode(ReadOnlySpan<byte> saltPrefix, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tag = default)
    {
        using var stream = new MemoryStream();
        WriteData(stream, saltPrefix);
        WriteData(stream, body);
        if (!tag.IsEmpty) WriteData(stream, tag);
        return stream.ToArray();
    }

    /// <summary>Splits an EDS into its fields; the authentication tag is empty when absent.</summary>
    public static (byte[] SaltPrefix, byte[] Body, byte[] Tag) Decode(ReadOnlySpan<byte> eds)
    {
        var offset = 0;
        var prefix = ReadData(eds, ref offset);
        var body = ReadData(eds, ref offset);
        var tag = offset < eds.Length ? ReadData(eds, ref offset) : [];
        if (offset != eds.Length) throw new MeshFormatException("EDS has trailing bytes after the authentication tag");
        return (prefix, body, tag);
    }

    /// <summary>Encrypts an annotation under the envelope's master key and master salt.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, int index, ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt, DareKeyDerivation derivation)
    {
        var prefix = PrefixFor(index);
        var salt = Concat(prefix, masterSalt);
        using var aes = Aes.Create();
        aes.Key = derivation.EncryptionKey(masterKey, salt);
        var cipher = aes.EncryptCbc(plaintext, derivation.InitializationVector(masterKey, salt));
        return Encode(prefix, cipher);
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> eds, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt,
        DareKeyDerivation derivation)
    {
        var (prefix, body, _) = Decode(eds);
        var salt = Concat(prefix, masterSalt);
        using var aes = Aes.Create();
        aes.Key = derivation.EncryptionKey(masterKey, salt);
        try
        {
            return aes.DecryptCbc(body, derivation.InitializationVector(masterKey, salt));
        }
        catch (CryptographicException e)
        {
            throw new MeshCryptoException("EDS annotation does not decrypt under this master key", e);
        }
    }

    /// <summary>The salt prefix of annotation n is its index as one octet (as in the examples).</summary>
    public static byte[] PrefixFor(int index) => index is >= 0 and < 256
        ? [(byte)index]
        : throw new MeshFormatException($"annotation index {index} is outside 0..255");

    static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        return result;
    }

    static void WriteData(Stream stream, ReadOnlySpan<byte> data)
    {
        var length = (ulong)data.Length;
        var width = length < 0x100 ? 1 : length < 0x10000 ? 2 : 4;
        stream.WriteByte((byte)(DataTerm + (width == 1 ? 0 : width == 2 ? 1 : 2)));
        for (var i = width - 1; i >= 0; i--) stream.WriteByte((byte)(length >> (8 * i)));
        stream.Write(data);
    }

    static byte[] ReadData(ReadOnlySpan<byte> eds, ref int offset)
    {
        if (offset >= eds.Length) throw new MeshFormatException("EDS is truncated: a data item is missing");
        var tag = eds[offset++];
        var width = tag switch { 0x88 => 1, 0x89 => 2, 0x8A => 4, 0x8B => 8, _ => 0 };
        if (width == 0) throw new MeshFormatException($"EDS item has tag 0x{tag:X2}, expected a JSON-B data item (0x88-0x8B)");
        if (offset + width > eds.Length) throw new MeshFormatException("EDS is truncated inside a length");
        ulong length = 0;
        for (var i = 0; i < width; i++) length = (length << 8) | eds[offset++];
        if (length > (ulong)(eds.Length - offset)) throw new MeshFormatException("EDS item length runs past the end of the sequence");
        var data = eds.Slice(offset, (int)length).ToArray();
        offset += (int)length;
        return data;
    }
}
