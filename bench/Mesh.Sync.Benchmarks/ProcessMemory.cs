using System.Globalization;

namespace Mesh.Sync.Benchmarks;

/// <summary>A process's peak and current resident memory from /proc/PID/status (kB).</summary>
public sealed record ProcessMemory(string Name, int Pid, long PeakKilobytes, long ResidentKilobytes)
{
    /// <summary>The processes named in <paramref name="pidDirectory"/>/NAME.pid (./mesh up's pid files) that are alive.</summary>
    public static IReadOnlyList<ProcessMemory> Read(string? pidDirectory, IEnumerable<string> names)
    {
        var list = new List<ProcessMemory>();
        if (pidDirectory is null) return list;
        foreach (var name in names)
        {
            var file = Path.Combine(pidDirectory, name + ".pid");
            if (!File.Exists(file) || !int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var status = $"/proc/{pid}/status";
            if (!File.Exists(status)) continue;
            long peak = -1, resident = -1;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line);
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) resident = Kilobytes(line);
            }
            if (peak >= 0) list.Add(new ProcessMemory(name, pid, peak, resident));
        }
        return list;
    }

    static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture);
}
