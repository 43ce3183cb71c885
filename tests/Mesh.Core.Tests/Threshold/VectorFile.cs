using System.Numerics;
using System.Text.RegularExpressions;

namespace Mesh.Core.Tests.Threshold;

/// <summary>
/// Reads the reference implementation's example files (ExamplesThreshold.md and friends):
/// sections by heading, and inside each section the ~~~~ blocks as ordered (label, value)
/// entries. Decimal values may wrap onto continuation lines; hex dumps follow a label line.
/// </summary>
public sealed partial class VectorFile
{
    readonly Dictionary<string, List<VectorBlock>> sections = new();

    public VectorFile(string path)
    {
        string section = "";
        List<string>? block = null;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimEnd();
            if (block is null && line.StartsWith('#'))
            {
                section = line.TrimStart('#').Trim();
                continue;
            }
            if (line.StartsWith("~~~~"))
            {
                if (block is null)
                {
                    block = [];
                }
                else
                {
                    if (!sections.TryGetValue(section, out var list)) sections[section] = list = [];
                    list.Add(new VectorBlock(block));
                    block = null;
                }
                continue;
            }
            block?.Add(line);
        }
    }

    public static VectorFile Examples(string name) => new(SharedFiles.Vector(name));

    /// <summary>The blocks of a section, in order.</summary>
    public IReadOnlyList<VectorBlock> Section(string heading) =>
        sections.TryGetValue(heading, out var list) ? list : throw new KeyNotFoundException($"no section '{heading}'");

    /// <summary>All entries of a section's blocks, as one block.</summary>
    public VectorBlock All(string heading) => new(Section(heading).SelectMany(b => b.Entries));
}

public readonly record struct VectorEntry(string Label, BigInteger? Number, byte[]? Bytes);

public sealed partial class VectorBlock
{
    public VectorBlock(IEnumerable<VectorEntry> entries) => Entries = entries.ToList();

    public VectorBlock(IReadOnlyList<string> lines)
    {
        var entries = new List<VectorEntry>();
        string pendingLabel = "";
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0) continue;
            if (HexLine().IsMatch(line))
            {
                var bytes = new List<byte>();
                while (i < lines.Count && HexLine().IsMatch(lines[i]))
                {
                    bytes.AddRange(Convert.FromHexString(lines[i].Replace(" ", "")));
                    i++;
                }
                i--;
                entries.Add(new VectorEntry(pendingLabel, null, bytes.ToArray()));
                pendingLabel = "";
                continue;
            }
            var number = NumberLine().Match(line);
            var bare = BareNumberLine().Match(line);
            if (number.Success || bare.Success)
            {
                var label = number.Success ? number.Groups["label"].Value.Trim() : pendingLabel;
                var digits = number.Success ? number.Groups["num"].Value : bare.Groups["num"].Value;
                while (i + 1 < lines.Count && ContinuationLine().IsMatch(lines[i + 1])) digits += lines[++i].Trim();
                entries.Add(new VectorEntry(label, BigInteger.Parse(digits), null));
                pendingLabel = "";
                continue;
            }
            // A label line: "Encoded Public", "R_a =", "Scalar_2 = (Scalar_A - Scalar_1) mod L".
            var cut = trimmed.IndexOfAny([':', '=']);
            pendingLabel = (cut >= 0 ? trimmed[..cut] : trimmed).Trim();
        }
        Entries = entries;
    }

    public IReadOnlyList<VectorEntry> Entries { get; }

    public BigInteger Number(string label, int occurrence = 0) =>
        Find(label, occurrence, e => e.Number is not null).Number!.Value;

    /// <summary>The n-th hex dump of the block, whatever its label.</summary>
    public byte[] BytesAt(int index) => Entries.Where(e => e.Bytes is not null).ElementAt(index).Bytes!;

    public byte[] Bytes(string label, int occurrence = 0) =>
        Find(label, occurrence, e => e.Bytes is not null).Bytes!;

    VectorEntry Find(string label, int occurrence, Func<VectorEntry, bool> kind)
    {
        var matches = Entries.Where(e => e.Label == label && kind(e)).ToList();
        return occurrence < matches.Count
            ? matches[occurrence]
            : throw new KeyNotFoundException($"no entry '{label}' #{occurrence} in block; labels: {string.Join(", ", Entries.Select(e => e.Label))}");
    }

    [GeneratedRegex(@"^\s+([0-9A-F]{2}\s+)*[0-9A-F]{2}$")]
    private static partial Regex HexLine();

    [GeneratedRegex(@"^\s*(?<label>[A-Za-z_][\w .']*?)\s*[:=]\s*(?<num>-?\d+)$")]
    private static partial Regex NumberLine();

    [GeneratedRegex(@"^\s*=\s*(?<num>\d+)$")]
    private static partial Regex BareNumberLine();

    [GeneratedRegex(@"^\s+\d+$")]
    private static partial Regex ContinuationLine();
}
