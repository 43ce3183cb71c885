using System.Globalization;

namespace Mesh.Grpc.Benchmarks;

/// <summary>Settings of the round-trip run; the defaults are the ones quoted in docs/benchmarks.md.</summary>
public sealed record RoundTripOptions(int Trials, TimeSpan Duration, TimeSpan Warmup, IReadOnlyList<int> Concurrency, int PayloadSize)
{
    public const string Usage = """
        usage: Mesh.Grpc.Benchmarks [--trials N] [--duration SECONDS] [--warmup SECONDS] [--concurrency 1,16,64] [--size BYTES]
               Mesh.Grpc.Benchmarks memory [BenchmarkDotNet arguments]   (allocations per call, MemoryDiagnoser)
        """;

    public static RoundTripOptions Default { get; } = new(5, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), [1, 16, 64], 256);

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
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
            i++;
        }
        return options;
    }

    static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
