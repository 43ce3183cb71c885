using System.Diagnostics;

namespace Mesh.Grpc.Benchmarks;

/// <summary>What one caller did in one trial, and the process's CPU time per round trip (client and server together).</summary>
public sealed record TrialResult(double RequestsPerSecond, Samples Latencies, double CpuMicrosecondsPerCall, double WorkItemsPerCall);

/// <summary>
/// Timed runs. Each trial runs every caller once, in alternating order, so drift of the shared machine
/// (other processes, thermal, GC) falls on both sides of the ratio alike.
/// </summary>
public static class Runs
{
    /// <summary>N callers each looping until the duration is over; every round trip is timed.</summary>
    public static async Task<TrialResult> RunAsync(ICaller caller, int concurrency, TimeSpan duration)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var workers = new Task<Samples>[concurrency];
        for (var i = 0; i < concurrency; i++) workers[i] = Task.Run(() => WorkerAsync(caller, stopAt));
        var results = await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var all = new Samples();
        foreach (var samples in results) all.AddRange(samples);
        return new TrialResult(all.Count / elapsed.TotalSeconds, all, cpu.TotalMicroseconds / Math.Max(1, all.Count), (double)workItems / Math.Max(1, all.Count));
    }

    static async Task<Samples> WorkerAsync(ICaller caller, long stopAt)
    {
        var samples = new Samples();
        while (true)
        {
            var before = Stopwatch.GetTimestamp();
            if (before >= stopAt) return samples;
            await caller.CallAsync();
            samples.Add(Stopwatch.GetTimestamp() - before);
        }
    }

    /// <summary>Trials of every caller at one concurrency; per caller the trials in run order.</summary>
    public static async Task<Dictionary<ICaller, List<TrialResult>>> TrialsAsync(
        IReadOnlyList<ICaller> callers, int concurrency, int trials, TimeSpan duration, TimeSpan warmup)
    {
        foreach (var caller in callers) await RunAsync(caller, concurrency, warmup);
        var results = callers.ToDictionary(c => c, _ => new List<TrialResult>());
        for (var trial = 0; trial < trials; trial++)
        {
            var order = trial % 2 == 0 ? callers : callers.Reverse().ToList();
            foreach (var caller in order)
            {
                var result = await RunAsync(caller, concurrency, duration);
                results[caller].Add(result);
                // Progress on stderr; the report on stdout has only the medians.
                Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{concurrency} callers, trial {trial + 1}, {caller.Name}: {result.RequestsPerSecond:0}/s, p50 {result.Latencies.PercentileMicroseconds(0.50):0} µs, CPU {result.CpuMicrosecondsPerCall:0.0} µs/call, {result.WorkItemsPerCall:0.00} thread-pool items/call"));
            }
        }
        return results;
    }
}
