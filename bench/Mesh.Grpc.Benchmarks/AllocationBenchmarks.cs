using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Google.Protobuf;
using Mesh.Grpc.Benchmarks.V1;

namespace Mesh.Grpc.Benchmarks;

/// <summary>
/// Bytes allocated per round trip (client and server together: they share the process) with
/// BenchmarkDotNet's MemoryDiagnoser. Run in-process, as the generated-project toolchain does not
/// build under this repository's central package management.
/// </summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    public static IConfig Config { get; } = InProcess(Job.ShortRun);

    /// <summary>A job run in this process, with bytes allocated per operation.</summary>
    public static IConfig InProcess(Job job) => ManualConfig.CreateMinimumViable()
        .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
        .AddDiagnoser(MemoryDiagnoser.Default);

    EchoServer? server;
    GrpcCaller? grpc;
    GrpcCaller? grpcDeadline;
    RawCaller? raw;

    [GlobalSetup]
    public void Setup()
    {
        var body = new byte[RoundTripOptions.Default.PayloadSize];
        new Random(1).NextBytes(body);
        var request = new Payload { Body = ByteString.CopyFrom(body) };
        server = EchoServer.StartAsync().GetAwaiter().GetResult();
        grpc = new GrpcCaller(server.Address, request);
        grpcDeadline = new GrpcCaller(server.Address, request, TimeSpan.FromSeconds(15));
        raw = new RawCaller(server.Address, request);
    }

    [Benchmark(Baseline = true, Description = "raw HttpClient POST")]
    public Task Raw() => raw!.CallAsync();

    [Benchmark(Description = "gRPC (Mesh.Grpc)")]
    public Task Grpc() => grpc!.CallAsync();

    [Benchmark(Description = "gRPC (Mesh.Grpc), 15 s deadline")]
    public Task GrpcWithDeadline() => grpcDeadline!.CallAsync();

    [GlobalCleanup]
    public void Cleanup()
    {
        grpc?.Dispose();
        grpcDeadline?.Dispose();
        raw?.Dispose();
        server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
