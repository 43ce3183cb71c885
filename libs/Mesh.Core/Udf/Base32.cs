namespace Mesh.Core.Udf;

/// <summary>
/// RFC 4648 Base32 (upper-case alphabet, no padding) as UDFs present it: groups of four
/// characters separated by dashes. Decoding ignores dashes and case.
/// </summary>
public static class Base32
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    // Character → 5-bit value, 0xFF for characters outside the alphabet.
    static readonly byte[] Values = BuildValues();

    /// <summary>Number of characters that present <paramref name="bits"/> bits.</summary>
    public static int CharsForBits(int bits) => (bits + 4) / 5;

    /// <summary>Encodes all of <paramref name="data"/> (zero bits pad the final character).</summary>
    public static string Encode(ReadOnlySpan<byte> data, bool dashes = true) =>
        Encode(data, CharsForBits(data.Length * 8), dashes);

    /// <summary>Encodes the first <paramref name="chars"/> characters' worth of <paramref name="data"/>.</summary>
    public static string Encode(ReadOnlySpan<byte> data, int chars, bool dashes = true)
    {
        if (chars < 0 || chars > CharsForBits(data.Length * 8))
        {
            throw new ArgumentOutOfRangeException(nameof(chars), $"{chars} characters need more than the {data.Length} bytes given");
        }
        var length = dashes && chars > 0 ? chars + (chars - 1) / 4 : chars;
        Span<char> output = length <= 256 ? stackalloc char[length] : new char[length];
        var at = 0;
        for (var i = 0; i < chars; i++)
        {
            if (dashes && i > 0 && i % 4 == 0) output[at++] = '-';
            var bit = i * 5;
            var index = bit >> 3;
            // A 16-bit window over the two bytes holding this character's five bits.
            var window = data[index] << 8 | (index + 1 < data.Length ? data[index + 1] : 0);
            output[at++] = Alphabet[(window >> (11 - (bit & 7))) & 31];
        }
        return new string(output);
    }

    /// <summary>Decodes Base32 text; trailing bits that do not fill an octet are dropped.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        var chars = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '-') continue;
            if (c >= Values.Length || Values[c] == 0xFF)
            {
                throw new MeshFormatException($"'{c}' at position {i} is not a Base32 character (A-Z, 2-7 and '-')");
            }
            chars++;
        }
        var output = new byte[chars * 5 / 8];
        int accumulator = 0, bits = 0, at = 0;
        foreach (var c in text)
        {
            if (c == '-') continue;
            accumulator = (accumulator << 5 | Values[c]) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (at < output.Length) output[at++] = (byte)(accumulator >> bits);
            }
        }
        return output;
    }

    static byte[] BuildValues()
    {
        var values = new byte[128];
        Array.Fill(values, (byte)0xFF);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (byte)i;
            values[char.ToLowerInvariant(Alphabet[i])] = (byte)i;
        }
        return values;
    }
}
