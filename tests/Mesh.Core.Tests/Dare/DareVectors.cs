using System.Text;
using System.Text.Json;

namespace Mesh.Core.Tests.Dare;

/// <summary>Reads the printed example files: sections (## titles) holding ~~~~ blocks.</summary>
internal static class DareVectors
{
    /// <summary>The ~~~~ blocks of the section whose heading contains <paramref name="heading"/>, in order.</summary>
    public static List<string> Blocks(string file, string heading)
    {
        var text = File.ReadAllText(file).Replace("\r", "");
        var start = heading.Length == 0 ? 0 : text.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0) throw new InvalidDataException($"{file}: no section '{heading}'");
        var next = text.IndexOf("\n##", start + Math.Max(heading.Length, 1), StringComparison.Ordinal);
        var section = next < 0 ? text[start..] : text[start..next];
        var parts = section.Split("~~~~");
        var blocks = new List<string>();
        for (var i = 1; i < parts.Length; i += 2) blocks.Add(parts[i].Trim('\n'));
        return blocks;
    }

    /// <summary>Hex dump lines ("D4 B9 0B ...") to bytes.</summary>
    public static byte[] Hex(string block) =>
        Convert.FromHexString(string.Concat(block.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)));

    /// <summary>
    /// The reference printer breaks long strings with a newline and two spaces inside the
    /// quotes; this joins them back so the text is JSON.
    /// </summary>
    public static JsonElement Json(string block)
    {
        var joined = new StringBuilder();
        var inString = false;
        for (var i = 0; i < block.Length; i++)
        {
            var c = block[i];
            if (c == '"' && (i == 0 || block[i - 1] != '\\')) inString = !inString;
            if (inString && c == '\n')
            {
                while (i + 1 < block.Length && block[i + 1] == ' ') i++;
                continue;
            }
            joined.Append(c);
        }
        return JsonDocument.Parse(joined.ToString()).RootElement.Clone();
    }

    public static byte[] B64(string text) => Convert.FromBase64String(Pad(text.Replace('-', '+').Replace('_', '/')
        .Replace("\n", "").Replace(" ", "")));

    static string Pad(string s) => s + new string('=', (4 - s.Length % 4) % 4);

    /// <summary>The private key of a printed <c>{"PrivateKeyECDH":{"Private":..}}</c> block.</summary>
    public static byte[] PrivateKey(string block) => B64(Json(block).GetProperty("PrivateKeyECDH").GetProperty("Private").GetString()!);

    /// <summary>Frame headers and trailers printed in ExamplesContainer.md for one section.</summary>
    public static List<(JsonElement Header, JsonElement? Trailer)> Frames(string heading)
    {
        var frames = new List<(JsonElement, JsonElement?)>();
        foreach (var block in Blocks(SharedFiles.Vector("ExamplesContainer.md"), heading))
        {
            if (!block.Contains("DareHeader")) continue;
            var split = block.IndexOf("\n{\n  \"DareTrailer\"", StringComparison.Ordinal);
            var header = Json(split < 0 ? block[..block.IndexOf("[Empty trailer]", StringComparison.Ordinal)] : block[..split]).GetProperty("DareHeader");
            JsonElement? trailer = split < 0 ? null : Json(block[(split + 1)..]).GetProperty("DareTrailer");
            frames.Add((header, trailer));
        }
        return frames;
    }
}
