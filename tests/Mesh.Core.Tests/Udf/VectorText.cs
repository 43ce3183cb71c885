using System.Text.RegularExpressions;

namespace Mesh.Core.Tests.Udf;

/// <summary>Reads the values printed in a vectors/examples/*.md file.</summary>
internal sealed partial class VectorText
{
    readonly string[] lines;

    public VectorText(string name)
    {
        Text = File.ReadAllText(SharedFiles.Vector(name));
        lines = Text.Replace("\r", "").Split('\n');
    }

    public string Text { get; }

    /// <summary>Every hex block printed under a line starting with <paramref name="label"/>, in file order.</summary>
    public List<byte[]> HexBlocks(string label)
    {
        var blocks = new List<byte[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].TrimStart().StartsWith(label, StringComparison.Ordinal)) continue;
            var hex = new List<string>();
            var rest = lines[i].TrimStart()[label.Length..];
            if (HexLine().IsMatch(rest)) hex.Add(rest);
            var j = i + 1;
            while (hex.Count == 0 && j < lines.Length && string.IsNullOrWhiteSpace(lines[j])) j++;
            for (; j < lines.Length && HexLine().IsMatch(lines[j]); j++) hex.Add(lines[j]);
            blocks.Add(Convert.FromHexString(string.Concat(hex).Replace(" ", "").Replace("\"", "")));
        }
        if (blocks.Count == 0) throw new InvalidDataException($"no '{label}' block in the vector file");
        return blocks;
    }

    public byte[] Hex(string label) => HexBlocks(label)[0];

    /// <summary>Every maximal run of hex lines in the file, in order.</summary>
    public List<byte[]> AllHexBlocks()
    {
        var blocks = new List<byte[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!HexLine().IsMatch(lines[i])) continue;
            var hex = new List<string>();
            while (i < lines.Length && HexLine().IsMatch(lines[i])) hex.Add(lines[i++]);
            blocks.Add(Convert.FromHexString(string.Concat(hex).Replace(" ", "").Replace("\"", "")));
        }
        return blocks;
    }

    /// <summary>The values following <paramref name="label"/>: the rest of its line, or else the next non-blank line.</summary>
    public List<string> Values(string label)
    {
        var values = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(label, StringComparison.Ordinal)) continue;
            var rest = line[label.Length..].Trim();
            var j = i + 1;
            while (rest.Length == 0 && j < lines.Length) rest = lines[j++].Trim();
            values.Add(rest);
        }
        if (values.Count == 0) throw new InvalidDataException($"no '{label}' value in the vector file");
        return values;
    }

    public string Value(string label) => Values(label)[0];

    /// <summary>All UDF-looking tokens (dashed Base32 groups) in the file, in order.</summary>
    public List<string> Udfs() => UdfToken().Matches(Text).Select(m => m.Value).ToList();

    [GeneratedRegex(@"^\s*""?\s*([0-9A-F]{2}\s+)*[0-9A-F]{2}\s*""?\s*$")]
    private static partial Regex HexLine();

    [GeneratedRegex(@"\b[A-Z2-7]{1,5}(-[A-Z2-7]{1,5}){3,}\b")]
    private static partial Regex UdfToken();
}
