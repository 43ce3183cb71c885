using BenchmarkDotNet.Running;

namespace Mesh.Grpc.Benchmarks;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["memory", ..]) return RunBenchmarks<AllocationBenchmarks>(AllocationBenchmarks.Config, args[1..]);
        if (args is ["client", ..]) return RunBenchmarks<ClientBenchmarks>(ClientBenchmarks.Config, args[1..]);
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

    /// <summary>BenchmarkDotNet over one class, every benchmark unless --filter says otherwise; its other arguments pass through.</summary>
    static int RunBenchmarks<T>(BenchmarkDotNet.Configs.IConfig config, string[] args)
    {
        string[] withFilter = args.Contains("--filter") ? args : [.. args, "--filter", "*"];
        return BenchmarkSwitcher.FromTypes([typeof(T)]).Run(withFilter, config).Any(summary => summary.HasCriticalValidationErrors) ? 1 : 0;
    }
}
