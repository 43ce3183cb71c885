using System.Globalization;

namespace Mesh.Grpc.Benchmarks;

/// <summary>Settings of the round-trip run; the defaults are the ones quoted in docs/benchmarks.md.</summary>
public sealed record RoundTripOptions(int Trials, TimeSpan Duration, TimeSpan Warmup, IReadOnlyList<int> Concurrency, int PayloadSize,
    IReadOnlyList<string> Callers)
{
    /// <summary>The callers by their short names, in the order they run; raw is the reference of every ratio.</summary>
    public static readonly IReadOnlyList<string> CallerNames = ["grpc", "raw", "deadline", "shaped", "client"];

    public const string Usage = """
        usage: Mesh.Grpc.Benchmarks [--trials N] [--duration SECONDS] [--warmup SECONDS] [--concurrency 1,16,64] [--size BYTES]
                                    [--callers grpc,raw,deadline,shaped,client]
               Mesh.Grpc.Benchmarks memory [BenchmarkDotNet arguments]   (allocations per call, MemoryDiagnoser)
               Mesh.Grpc.Benchmarks client [BenchmarkDotNet arguments]   (the client alone, answered in memory)
        """;

    public static RoundTripOptions Default { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), [1, 16, 64], 256, CallerNames);

    public static RoundTripOptions Parse(IReadOnlyList<string> args)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"'{args[i]}' needs a value.");
            options = args[i] switch
            {
                "--trials" => options with { Trials = Positive(args[i], value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Positive(args[i], value)) },
                "--concurrency" => options with { Concurrency = value.Split(',').Select(v => Positive(args[i], v)).ToArray() },
                "--size" => options with { PayloadSize = Positive(args[i], value) },
                "--callers" => options with { Callers = ParseCallers(value) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
            i++;
        }
        return options;
    }

    static IReadOnlyList<string> ParseCallers(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names.Any(n => !CallerNames.Contains(n)))
            throw new ArgumentException($"--callers takes names among {string.Join(",", CallerNames)}, not '{value}'.");
        return CallerNames.Where(names.Contains).ToArray();
    }

    static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
