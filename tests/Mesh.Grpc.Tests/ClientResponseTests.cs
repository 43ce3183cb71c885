using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests;

/// <summary>
/// How the client reads responses a conforming server never sends, and the ones it does, byte for byte:
/// each test answers the call from a handler with an exact body, headers and trailers.
/// </summary>
public sealed class ClientResponseTests
{
    static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    static byte[] Frame(byte[] payload)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    static Tester.TesterClient ClientAnswering(byte[] body, (string Name, string Value)[] trailers, (string Name, string Value)[]? headers = null, int bytesPerRead = int.MaxValue)
    {
        var handler = new AnsweringHandler(body, headers ?? [], trailers, bytesPerRead);
        return new Tester.TesterClient(GrpcChannel.ForAddress("http://answering.test", new GrpcChannelOptions { HttpHandler = handler }));
    }

    [Fact]
    public async Task A_unary_answer_with_two_messages_is_INTERNAL()
    {
        var body = Frame(new EchoReply { Text = "one" }).Concat(Frame(new EchoReply { Text = "two" })).ToArray();
        var client = ClientAnswering(body, [("grpc-status", "0")]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("The server sent more than one message for a unary response.", error.Status.Detail);
    }

    [Fact]
    public async Task A_unary_answer_with_OK_and_no_message_is_INTERNAL()
    {
        var client = ClientAnswering([], [("grpc-status", "0")]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("The server ended the call with OK but sent no response message.", error.Status.Detail);
    }

    [Fact]
    public async Task An_answer_without_grpc_status_is_INTERNAL()
    {
        var client = ClientAnswering(Frame(new EchoReply { Text = "x" }), []);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal("No grpc-status found on response.", error.Status.Detail);
    }

    [Fact]
    public async Task A_body_ending_inside_a_frame_is_INTERNAL()
    {
        var frame = Frame(new EchoReply { Text = "cut short" });
        var client = ClientAnswering(frame[..^3], [("grpc-status", "0")]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal($"Incomplete message: the stream ended {frame.Length - 3} bytes into a frame.", error.Status.Detail);
    }

    [Fact]
    public async Task An_error_status_after_the_message_wins_and_carries_its_trailers()
    {
        var client = ClientAnswering(Frame(new EchoReply { Text = "late failure" }),
            [("grpc-status", "9"), ("grpc-message", "not now%21"), ("reason", "maintenance")]);
        using var call = client.EchoAsync(new EchoRequest());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("not now!", error.Status.Detail);
        Assert.Equal("maintenance", error.Trailers.GetValue("reason"));
        Assert.Equal("maintenance", call.GetTrailers().GetValue("reason"));
    }

    [Fact]
    public async Task An_OK_answer_gives_its_trailers_as_metadata_without_the_transport_ones()
    {
        var client = ClientAnswering(Frame(new EchoReply { Text = "ok" }), [("grpc-status", "0"), ("server-load", "0.25"), ("trace-bin", "AQID")]);
        using var call = client.EchoAsync(new EchoRequest());

        Assert.Equal("ok", (await call).Text);

        var trailers = call.GetTrailers();
        Assert.Equal(["server-load", "trace-bin"], trailers.Select(e => e.Key));
        Assert.Equal("0.25", trailers.GetValue("server-load"));
        Assert.Equal(new byte[] { 1, 2, 3 }, trailers.GetValueBytes("trace-bin"));
        Assert.Same(trailers, call.GetTrailers());
    }

    [Fact]
    public async Task A_trailers_only_answer_ends_the_call_with_its_status_and_metadata()
    {
        var client = ClientAnswering([], [], headers: [("grpc-status", "7"), ("grpc-message", "denied"), ("policy", "p1")]);
        using var call = client.EchoAsync(new EchoRequest());

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("denied", error.Status.Detail);
        Assert.Equal("p1", call.GetTrailers().GetValue("policy"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(int.MaxValue)]
    public async Task Streamed_messages_arriving_in_pieces_or_together_are_read_in_order(int bytesPerRead)
    {
        var body = Enumerable.Range(1, 5).SelectMany(i => Frame(new CountReply { Number = i })).ToArray();
        var client = ClientAnswering(body, [("grpc-status", "0")], bytesPerRead: bytesPerRead);
        using var call = client.Count(new CountRequest { Count = 5 });

        var numbers = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync()) numbers.Add(reply.Number);

        Assert.Equal([1, 2, 3, 4, 5], numbers);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    /// <summary>Answers every call with one HTTP/2 response: 200, application/grpc, the given body (read in pieces), headers and trailers.</summary>
    sealed class AnsweringHandler(byte[] body, (string Name, string Value)[] headers, (string Name, string Value)[] trailers, int bytesPerRead)
        : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new PiecewiseStream(body, bytesPerRead));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, Content = content, RequestMessage = request };
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            foreach (var (name, value) in trailers) response.TrailingHeaders.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        }
    }

    /// <summary>At most a few bytes per read, as DATA frames cut anywhere would give them.</summary>
    sealed class PiecewiseStream(byte[] data, int bytesPerRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, bytesPerRead), cancellationToken);
    }
}
