using System.Diagnostics;

namespace Mesh.Grpc.Benchmarks;

/// <summary>Round-trip times in Stopwatch ticks, and the order statistics quoted in docs/benchmarks.md.</summary>
public sealed class Samples
{
    readonly List<long> ticks = [];

    public int Count => ticks.Count;

    public void Add(long elapsedTicks) => ticks.Add(elapsedTicks);

    public void AddRange(Samples other) => ticks.AddRange(other.ticks);

    /// <summary>The q-quantile (nearest rank) in microseconds.</summary>
    public double PercentileMicroseconds(double q)
    {
        if (ticks.Count == 0) throw new InvalidOperationException("No samples were recorded.");
        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)] * 1_000_000.0 / Stopwatch.Frequency;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new InvalidOperationException("No trials were run.");
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
