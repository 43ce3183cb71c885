using System.Diagnostics;

namespace Mesh.Sync.Benchmarks;

/// <summary>What one trial of one target measured.</summary>
public sealed record TrialResult(long Requests, double Seconds, double PerSecond, double P50Ms, double P99Ms);

/// <summary>
/// Closed-loop load: <c>clients</c> workers, each sending its next request as soon as the previous
/// one is answered, until the trial's time is up. Requests still in flight at the deadline complete
/// and count; the rate is completed requests over the time until the last worker stopped.
/// </summary>
public static class ClosedLoop
{
    public static async Task<TrialResult> RunAsync(int clients, TimeSpan duration, Func<int, Task> request)
    {
        var perWorker = new List<long>[clients];
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            var latencies = new List<long>(1024);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var before = Stopwatch.GetTimestamp();
                await request(i);
                latencies.Add(Stopwatch.GetTimestamp() - before);
            }
            perWorker[i] = latencies;
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var samples = new Samples();
        foreach (var latencies in perWorker) samples.AddRange(latencies);
        return new TrialResult(samples.Count, seconds, samples.Count / seconds, samples.PercentileMilliseconds(0.50), samples.PercentileMilliseconds(0.99));
    }
}
