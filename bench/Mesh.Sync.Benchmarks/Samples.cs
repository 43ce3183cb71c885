using System.Diagnostics;

namespace Mesh.Sync.Benchmarks;

/// <summary>Latencies of one trial in Stopwatch ticks, and the order statistics quoted in docs/benchmarks.md.</summary>
public sealed class Samples
{
    readonly List<long> ticks = [];

    public int Count => ticks.Count;

    public void AddRange(IEnumerable<long> elapsed) => ticks.AddRange(elapsed);

    /// <summary>The q-quantile (nearest rank) in milliseconds.</summary>
    public double PercentileMilliseconds(double q)
    {
        if (ticks.Count == 0) throw new InvalidOperationException("No samples were recorded.");
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new InvalidOperationException("No trials were run.");
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
