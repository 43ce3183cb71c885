using Grpc.Core;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Mesh.Grpc.Benchmarks.V1;
using Mesh.Grpc.Client;

namespace Mesh.Grpc.Benchmarks;

/// <summary>One way of making the benchmark's round trip; both ways carry the same bytes.</summary>
public interface ICaller : IDisposable
{
    string Name { get; }

    Task CallAsync();
}

/// <summary>Our generated Echo client over <see cref="GrpcChannel"/> with the channel's default handler.</summary>
public sealed class GrpcCaller : ICaller
{
    readonly GrpcChannel channel;
    readonly Echo.EchoClient client;
    readonly Payload request;
    readonly TimeSpan? deadline;

    /// <param name="deadline">Sent with every call when set, as the gateway sets one on its calls to the services.</param>
    public GrpcCaller(Uri address, Payload request, TimeSpan? deadline = null)
    {
        channel = GrpcChannel.ForAddress(address);
        client = new Echo.EchoClient(channel);
        this.request = request;
        this.deadline = deadline;
    }

    public string Name => deadline is { } d ? $"gRPC (Mesh.Grpc), {d.TotalSeconds:0} s deadline" : "gRPC (Mesh.Grpc)";

    public async Task CallAsync()
    {
        var reply = await (deadline is { } d ? client.UnaryAsync(request, deadline: DateTime.UtcNow + d) : client.UnaryAsync(request));
        if (reply.Body.Length != request.Body.Length) throw new InvalidOperationException("The echo came back with a different body.");
    }

    public void Dispose() => channel.Dispose();
}

/// <summary>
/// Our client (<see cref="GrpcChannel"/>, a unary call) against <see cref="EchoServer.ShapedPath"/>, the
/// plain endpoint that answers as gRPC does: what the client side of the layer costs, apart from the server side.
/// </summary>
public sealed class GrpcClientOnlyCaller : ICaller
{
    // As the generated code marshals (GrpcCaller's path): written straight into the frame, parsed from the received buffer.
    static readonly Marshaller<Payload> PayloadMarshaller = new(
        static (payload, context) =>
        {
            context.SetPayloadLength(payload.CalculateSize());
            payload.WriteTo(context.GetBufferWriter());
            context.Complete();
        },
        static context => Payload.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));
    // Full name /raw/echo-shaped: the shaped endpoint's path.
    static readonly Method<Payload, Payload> ShapedEcho = new(MethodType.Unary, "raw", "echo-shaped", PayloadMarshaller, PayloadMarshaller);

    readonly GrpcChannel channel;
    readonly CallInvoker invoker;
    readonly Payload request;

    public GrpcClientOnlyCaller(Uri address, Payload request)
    {
        channel = GrpcChannel.ForAddress(address);
        invoker = channel.CreateCallInvoker();
        this.request = request;
    }

    public string Name => "gRPC client (Mesh.Grpc) against the shaped raw endpoint";

    public async Task CallAsync()
    {
        var reply = await invoker.AsyncUnaryCall(ShapedEcho, null, new CallOptions(), request);
        if (reply.Body.Length != request.Body.Length) throw new InvalidOperationException("The echo came back with a different body.");
    }

    public void Dispose() => channel.Dispose();
}

/// <summary>
/// HttpClient posting the exact bytes a gRPC call puts on the wire (5-byte prefix + protobuf) over h2c,
/// on a handler set up as <see cref="GrpcChannel"/> sets up its own.
/// </summary>
public sealed class RawCaller : ICaller
{
    static readonly MediaTypeHeaderValue ContentType = new("application/octet-stream");
    static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    readonly HttpClient client;
    readonly Uri uri;
    readonly ReadOnlyMemory<byte> body;

    readonly bool shaped;

    /// <param name="shaped">
    /// Send and expect what a gRPC call does at the HTTP level (content-type application/grpc, te:
    /// trailers, grpc-status trailer) against <see cref="EchoServer.ShapedPath"/>: the protocol's own cost
    /// without the gRPC layer, a reference beside the plain POST.
    /// </param>
    public RawCaller(Uri address, Payload request, bool shaped = false)
    {
        client = new HttpClient(new SocketsHttpHandler { EnableMultipleHttp2Connections = true }) { Timeout = Timeout.InfiniteTimeSpan };
        uri = new Uri(address, shaped ? EchoServer.ShapedPath : EchoServer.RawPath);
        body = Frame(request);
        this.shaped = shaped;
    }

    public string Name => shaped ? "raw HttpClient POST shaped as gRPC (headers, trailers)" : "raw HttpClient POST";

    /// <summary>The gRPC Length-Prefixed-Message of a request: uncompressed flag, big-endian length, payload.</summary>
    public static byte[] Frame(Payload request)
    {
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public async Task CallAsync()
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = shaped ? GrpcContentType : ContentType;
        using var message = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (shaped) message.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await client.SendAsync(message);
        response.EnsureSuccessStatusCode();
        var reply = await response.Content.ReadAsByteArrayAsync();
        if (reply.Length != body.Length) throw new InvalidOperationException("The echo came back with a different body.");
        if (shaped && !response.TrailingHeaders.NonValidated.Contains("grpc-status"))
            throw new InvalidOperationException("The shaped echo came back without its grpc-status trailer.");
    }

    public void Dispose() => client.Dispose();
}
