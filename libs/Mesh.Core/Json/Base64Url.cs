using System.Buffers;

namespace Mesh.Core.Json;

/// <summary>
/// Base64url as the Mesh writes it (RFC 4648 §5, no padding). The decoder is lenient the way the
/// reference encoder needs: it accepts padding, the standard alphabet, and the line breaks and
/// spaces that encoder puts inside long strings.
/// </summary>
public static class Base64Url
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    static readonly sbyte[] Values = BuildValues();

    static sbyte[] BuildValues()
    {
        var v = new sbyte[256];
        Array.Fill(v, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++) v[Alphabet[i]] = (sbyte)i;
        v['+'] = 62;
        v['/'] = 63;
        return v;
    }

    public static int EncodedLength(int bytes) => (bytes * 4 + 2) / 3;

    public static string Encode(ReadOnlySpan<byte> data)
    {
        return string.Create(EncodedLength(data.Length), data.ToArray(), static (chars, bytes) =>
        {
            Span<byte> tmp = chars.Length <= 512 ? stackalloc byte[chars.Length] : new byte[chars.Length];
            EncodeUtf8(bytes, tmp);
            for (var i = 0; i < tmp.Length; i++) chars[i] = (char)tmp[i];
        });
    }

    /// <summary>Writes the encoding of <paramref name="data"/> as UTF-8 into <paramref name="output"/>; returns the length.</summary>
    public static int EncodeUtf8(ReadOnlySpan<byte> data, Span<byte> output)
    {
        var o = 0;
        var i = 0;
        for (; i + 3 <= data.Length; i += 3)
        {
            var n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
            output[o++] = (byte)Alphabet[(n >> 18) & 63];
            output[o++] = (byte)Alphabet[(n >> 12) & 63];
            output[o++] = (byte)Alphabet[(n >> 6) & 63];
            output[o++] = (byte)Alphabet[n & 63];
        }
        var rest = data.Length - i;
        if (rest == 1)
        {
            var n = data[i] << 16;
            output[o++] = (byte)Alphabet[(n >> 18) & 63];
            output[o++] = (byte)Alphabet[(n >> 12) & 63];
        }
        else if (rest == 2)
        {
            var n = (data[i] << 16) | (data[i + 1] << 8);
            output[o++] = (byte)Alphabet[(n >> 18) & 63];
            output[o++] = (byte)Alphabet[(n >> 12) & 63];
            output[o++] = (byte)Alphabet[(n >> 6) & 63];
        }
        return o;
    }

    public static byte[] Decode(string text)
    {
        var bytes = new byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127) throw new MeshFormatException($"Base64 text holds the non-ASCII character U+{(int)text[i]:X4}");
            bytes[i] = (byte)text[i];
        }
        return Decode(bytes);
    }

    /// <summary>Decodes base64url or base64, with or without padding, skipping whitespace.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> utf8)
    {
        var rented = ArrayPool<byte>.Shared.Rent(utf8.Length / 4 * 3 + 3);
        try
        {
            var n = Decode(utf8, rented);
            return rented.AsSpan(0, n).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes into <paramref name="output"/> (at least length/4*3+3 bytes); returns the byte count.</summary>
    public static int Decode(ReadOnlySpan<byte> utf8, Span<byte> output)
    {
        // Canonical base64url (what this project and most peers write) takes the vectorised BCL
        // decoder; padding, the standard alphabet and the reference encoder's line breaks take the
        // lenient loop below, which gives the same bytes.
        if (utf8.IndexOfAny(LenientOnly) < 0
            && System.Buffers.Text.Base64Url.DecodeFromUtf8(utf8, output, out var consumed, out var written) == OperationStatus.Done
            && consumed == utf8.Length)
            return written;
        return DecodeLenient(utf8, output);
    }

    static readonly SearchValues<byte> LenientOnly = SearchValues.Create(" \n\r\t=+/"u8);

    static int DecodeLenient(ReadOnlySpan<byte> utf8, Span<byte> output)
    {
        int acc = 0, bits = 0, o = 0, pad = 0;
        foreach (var c in utf8)
        {
            if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t') continue;
            if (c == (byte)'=')
            {
                pad++;
                continue;
            }
            if (pad > 0) throw new MeshFormatException("Base64 text continues after its padding");
            var v = Values[c];
            if (v < 0) throw new MeshFormatException($"Base64 text holds the invalid character 0x{c:X2}");
            acc = (acc << 6) | (byte)v;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                output[o++] = (byte)(acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        if (bits >= 6) throw new MeshFormatException("Base64 text has a dangling final character");
        return o;
    }
}
