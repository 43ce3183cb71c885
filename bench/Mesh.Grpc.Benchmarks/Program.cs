using BenchmarkDotNet.Running;

namespace Mesh.Grpc.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["memory", ..]) return BenchmarkRunner.Run<AllocationBenchmarks>(AllocationBenchmarks.Config).HasCriticalValidationErrors ? 1 : 0;
        if (args is ["client", ..]) return BenchmarkRunner.Run<ClientBenchmarks>(ClientBenchmarks.Config).HasCriticalValidationErrors ? 1 : 0;
        RoundTripOptions options;
        try
        {
            options = RoundTripOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(RoundTripOptions.Usage);
            return 2;
        }
        await RoundTripReport.RunAsync(options, Console.Out);
        return 0;
    }
}
