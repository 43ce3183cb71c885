using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Google.Protobuf;
using Mesh.Grpc.Benchmarks.V1;
using Mesh.Grpc.Client;

namespace Mesh.Grpc.Benchmarks;

/// <summary>
/// The client side alone, without sockets or a server: our generated client and a raw invoker send the
/// same request through a handler that answers at once with a gRPC-shaped response (message, grpc-status
/// trailer). One thread, no network: small differences in the client's own work show here, where the
/// round-trip runs drown them in the machine's noise.
/// </summary>
[MemoryDiagnoser]
public class ClientBenchmarks
{
    public static IConfig Config { get; } = AllocationBenchmarks.InProcess(Job.Default);

    static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    Payload request = null!;
    byte[] frame = null!;
    HttpMessageInvoker raw = null!;
    GrpcChannel channel = null!;
    Echo.EchoClient client = null!;
    readonly Uri uri = new("http://localhost/mesh.bench.v1.Echo/Unary");

    [GlobalSetup]
    public void Setup()
    {
        var body = new byte[RoundTripOptions.Default.PayloadSize];
        new Random(1).NextBytes(body);
        request = new Payload { Body = ByteString.CopyFrom(body) };
        frame = RawCaller.Frame(request);
        raw = new HttpMessageInvoker(new AnsweringHandler(frame));
        channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = new AnsweringHandler(frame) });
        client = new Echo.EchoClient(channel);
    }

    [Benchmark(Baseline = true, Description = "raw invoker, body read as a stream")]
    public async Task Raw()
    {
        using var cts = new CancellationTokenSource();
        var content = new ReadOnlyMemoryContent(frame);
        content.Headers.ContentType = GrpcContentType;
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Version = HttpVersion.Version20, Content = content };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await raw.SendAsync(message, cts.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var buffer = new byte[512];
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), cts.Token)) > 0) total += read;
        if (total != frame.Length || !response.TrailingHeaders.NonValidated.Contains("grpc-status")) throw new InvalidOperationException("Unexpected answer.");
    }

    [Benchmark(Description = "gRPC client (Mesh.Grpc)")]
    public async Task Grpc()
    {
        var reply = await client.UnaryAsync(request);
        if (reply.Body.Length != request.Body.Length) throw new InvalidOperationException("Unexpected answer.");
    }

    [Benchmark(Description = "gRPC client (Mesh.Grpc), 15 s deadline")]
    public async Task GrpcWithDeadline()
    {
        var reply = await client.UnaryAsync(request, deadline: DateTime.UtcNow.AddSeconds(15));
        if (reply.Body.Length != request.Body.Length) throw new InvalidOperationException("Unexpected answer.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        channel.Dispose();
        raw.Dispose();
    }

    /// <summary>Answers every request with the same unary gRPC response: headers, one message, grpc-status 0.</summary>
    sealed class AnsweringHandler(byte[] frame) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ReadOnlyMemoryContent(frame);
            content.Headers.ContentType = GrpcContentType;
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, Content = content, RequestMessage = request };
            response.TrailingHeaders.TryAddWithoutValidation("grpc-status", "0");
            return Task.FromResult(response);
        }
    }
}
