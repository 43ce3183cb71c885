using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Mesh.Grpc.Benchmarks.V1;

namespace Mesh.Grpc.Benchmarks;

/// <summary>
/// Runs the round trips of both callers against one server and prints a Markdown table: per concurrency
/// the median over trials of requests/s, p50, p99 and the process's CPU time per round trip, and the
/// ratios to the raw call: per trial (where the callers ran one after the other), then the median.
/// When the process is CPU-bound (64 callers on two cores) the ratio of CPU per call is what the
/// ratio of rates tends to, and it moves less from run to run.
/// </summary>
public static class RoundTripReport
{
    public static async Task RunAsync(RoundTripOptions options, TextWriter output)
    {
        var body = new byte[options.PayloadSize];
        new Random(1).NextBytes(body);
        var request = new Payload { Body = ByteString.CopyFrom(body) };

        await using var server = await EchoServer.StartAsync();
        using var grpc = new GrpcCaller(server.Address, request);
        using var raw = new RawCaller(server.Address, request);
        // The gateway calls the services with a deadline; that path (timers, grpc-timeout) is measured too.
        using var grpcDeadline = new GrpcCaller(server.Address, request, TimeSpan.FromSeconds(15));
        using var shaped = new RawCaller(server.Address, request, shaped: true);
        using var clientOnly = new GrpcClientOnlyCaller(server.Address, request);
        var byName = new Dictionary<string, ICaller> { ["grpc"] = grpc, ["raw"] = raw, ["deadline"] = grpcDeadline, ["shaped"] = shaped, ["client"] = clientOnly };
        var callers = options.Callers.Select(n => byName[n]).ToArray();

        output.WriteLine($"Mesh.Grpc round trips: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}{LoadAverage()}");
        output.WriteLine($"request and response: {RawCaller.Frame(request).Length} bytes on the wire per direction (payload {options.PayloadSize} bytes); " +
            $"{options.Trials} trials x {options.Duration.TotalSeconds:0} s per caller and concurrency, {options.Warmup.TotalSeconds:0} s warm-up; client and server in one process");
        output.WriteLine();
        output.WriteLine("| concurrency | caller | requests/s | p50 (µs) | p99 (µs) | CPU per call (µs) |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|");
        var ratios = new List<string>();
        foreach (var concurrency in options.Concurrency)
        {
            var results = await Runs.TrialsAsync(callers, concurrency, options.Trials, options.Duration, options.Warmup);
            var summary = callers.ToDictionary(c => c, c => Summarize(results[c]));
            foreach (var caller in callers)
            {
                var (rps, p50, p99, cpu) = summary[caller];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {concurrency} | {caller.Name} | {rps:0} | {p50:0} | {p99:0} | {cpu:0.0} |"));
            }
            if (!results.TryGetValue(raw, out var rawTrials)) continue;
            foreach (var caller in callers.Where(c => c != raw))
            {
                // Trial by trial: the two ran next to each other, so the machine's drift falls on both.
                var pairs = rawTrials.Zip(results[caller]).ToList();
                double Ratio(Func<TrialResult, TrialResult, double> ratio) => Samples.Median(pairs.Select(p => ratio(p.First, p.Second)).ToList());
                ratios.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {concurrency} | {caller.Name} | {Ratio((r, g) => r.RequestsPerSecond / g.RequestsPerSecond):0.00}× " +
                    $"| {Ratio((r, g) => g.Latencies.PercentileMicroseconds(0.50) / r.Latencies.PercentileMicroseconds(0.50)):0.00}× " +
                    $"| {Ratio((r, g) => g.Latencies.PercentileMicroseconds(0.99) / r.Latencies.PercentileMicroseconds(0.99)):0.00}× " +
                    $"| {Ratio((r, g) => g.CpuMicrosecondsPerCall / r.CpuMicrosecondsPerCall):0.00}× |"));
            }
        }
        output.WriteLine();
        output.WriteLine("Ratios to the raw call (goal: within 1.3×), each the median over trials of the ratio within a trial:");
        output.WriteLine();
        output.WriteLine("| concurrency | caller | raw/gRPC requests/s | gRPC/raw p50 | gRPC/raw p99 | gRPC/raw CPU per call |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|");
        foreach (var line in ratios) output.WriteLine(line);
    }

    /// <summary>The machine's load when the run starts: on a shared machine it says how much the numbers can be trusted.</summary>
    static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $", load average {fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "";
        }
    }

    static (double RequestsPerSecond, double P50, double P99, double CpuPerCall) Summarize(IReadOnlyList<TrialResult> trials) => (
        Samples.Median(trials.Select(t => t.RequestsPerSecond).ToList()),
        Samples.Median(trials.Select(t => t.Latencies.PercentileMicroseconds(0.50)).ToList()),
        Samples.Median(trials.Select(t => t.Latencies.PercentileMicroseconds(0.99)).ToList()),
        Samples.Median(trials.Select(t => t.CpuMicrosecondsPerCall).ToList()));
}
