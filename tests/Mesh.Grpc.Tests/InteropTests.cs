using System.Text.Json;
using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.Support;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests;

/// <summary>A grpc-js client (peer.js client) against our Kestrel server.</summary>
public sealed class GrpcJsClientInteropTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    [Fact]
    public async Task Grpc_js_unary_call_gets_the_reply_with_text_and_binary_metadata_in_headers_and_trailers()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "echo");
        Assert.Equal(0, result.GetProperty("code").GetInt32());
        Assert.Equal("ping", result.GetProperty("text").GetString());
        Assert.Equal(Convert.ToBase64String("bytes"u8), result.GetProperty("blob").GetString());
        foreach (var part in new[] { "headers", "trailers" })
        {
            var metadata = result.GetProperty(part);
            Assert.Equal("hello from grpc-js", metadata.GetProperty("echo-text").GetString());
            Assert.Equal(Convert.ToBase64String([0, 1, 2, 253, 254, 255]), metadata.GetProperty("echo-data-bin").GetString());
        }
    }

    [Fact]
    public async Task Grpc_js_reads_a_server_stream_to_OK()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "count");
        Assert.Equal(0, result.GetProperty("code").GetInt32());
        Assert.Equal([1, 2, 3, 4, 5], result.GetProperty("numbers").EnumerateArray().Select(n => n.GetInt32()));
    }

    [Fact]
    public async Task Grpc_js_sees_an_error_status_after_streamed_messages()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "count-fail");
        Assert.Equal([1, 2], result.GetProperty("numbers").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal((int)StatusCode.FailedPrecondition, result.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("stream broke after two", result.GetProperty("error").GetProperty("details").GetString());
    }

    [Fact]
    public async Task Grpc_js_sees_an_error_status_with_its_unicode_message()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "fail");
        Assert.Equal((int)StatusCode.NotFound, result.GetProperty("error").GetProperty("code").GetInt32());
        // The message peer.js sends in its "fail" scenario, which the service returns unchanged.
        Assert.Equal("no account \"alice@example.com\" – ünïcode 100%", result.GetProperty("error").GetProperty("details").GetString());
    }

    [Fact]
    public async Task Grpc_js_deadline_reaches_the_server_and_cancels_the_handler()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "deadline");
        Assert.Equal((int)StatusCode.DeadlineExceeded, result.GetProperty("error").GetProperty("code").GetInt32());
        Assert.True(await server.Probe.WaitForSlowCancellationAsync(TimeSpan.FromSeconds(10)), "the handler's cancellation token did not fire");
        // grpc-js sent grpc-timeout for its 2 s deadline: the handler saw a deadline, not DateTime.MaxValue.
        Assert.Contains(server.Probe.SlowDeadlines, d => d != DateTime.MaxValue);
    }

    [Fact]
    public async Task Grpc_js_call_of_an_unknown_method_is_UNIMPLEMENTED()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "unimplemented");
        Assert.Equal((int)StatusCode.Unimplemented, result.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Grpc_js_client_stream_is_summed()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "sum");
        Assert.Equal("4000000006", result.GetProperty("total").GetString());
    }

    [Fact]
    public async Task Grpc_js_duplex_stream_is_answered()
    {
        var result = await NodePeer.RunClientAsync(server.Address, "chat");
        Assert.False(result.TryGetProperty("error", out _));
        Assert.Equal(["echo: one", "echo: two"], result.GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
    }
}

/// <summary>Starts one grpc-js server (peer.js server) for a test class and stops it at the end.</summary>
public sealed class GrpcJsServerFixture : IAsyncLifetime
{
    public NodePeerServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await NodePeer.StartServerAsync();

    public Tester.TesterClient CreateClient() => new(GrpcChannel.ForAddress(Server.Address));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Our generated client and HttpClient channel against a grpc-js server.</summary>
public sealed class GrpcJsServerInteropTests(GrpcJsServerFixture peer) : IClassFixture<GrpcJsServerFixture>
{
    [Fact]
    public async Task Unary_call_to_grpc_js_carries_text_and_binary_metadata_both_ways()
    {
        var client = peer.CreateClient();
        byte[] binary = [0, 1, 2, 253, 254, 255];
        using var call = client.EchoAsync(new EchoRequest { Text = "to node" }, new Metadata { { "echo-text", "from dotnet" }, { "echo-data-bin", binary } });
        Assert.Equal("to node", (await call).Text);
        var headers = await call.ResponseHeadersAsync;
        Assert.Equal("from dotnet", headers.GetValue("echo-text"));
        Assert.Equal(binary, headers.GetValueBytes("echo-data-bin"));
        Assert.Equal("from dotnet", call.GetTrailers().GetValue("echo-text"));
        Assert.Equal(binary, call.GetTrailers().GetValueBytes("echo-data-bin"));
    }

    [Fact]
    public async Task Server_stream_from_grpc_js_is_read_to_OK()
    {
        var client = peer.CreateClient();
        using var call = client.Count(new CountRequest { Count = 5 });
        var numbers = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync()) numbers.Add(reply.Number);
        Assert.Equal([1, 2, 3, 4, 5], numbers);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Error_status_from_grpc_js_after_streamed_messages_is_read_from_trailers()
    {
        var client = peer.CreateClient();
        using var call = client.Count(new CountRequest { Count = 2, FailCode = (int)StatusCode.FailedPrecondition, FailMessage = "stream broke after two" });
        var numbers = new List<int>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync()) numbers.Add(reply.Number);
        });
        Assert.Equal([1, 2], numbers);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("stream broke after two", error.Status.Detail);
    }

    [Fact]
    public async Task Error_status_from_grpc_js_keeps_its_unicode_message()
    {
        var client = peer.CreateClient();
        var message = "no account \"alice@example.com\" – ünïcode 100%";
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.FailAsync(new FailRequest { Code = (int)StatusCode.PermissionDenied, Message = message }));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task Deadline_is_sent_to_grpc_js_as_grpc_timeout_and_the_call_ends_DEADLINE_EXCEEDED()
    {
        var client = peer.CreateClient();
        // Long enough for the call to reach grpc-js on a loaded machine (a deadline that passes in
        // transit never starts the handler), short enough to end well before the handler would.
        const int deadlineMs = 3000;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SlowAsync(new SlowRequest { DelayMs = 30_000 }, deadline: DateTime.UtcNow.AddMilliseconds(deadlineMs)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        var started = peer.Server.WaitForEvent("slow-start", TimeSpan.FromSeconds(10));
        Assert.NotNull(started);
        var remaining = started.Value.GetProperty("deadlineRemainingMs");
        Assert.Equal(JsonValueKind.Number, remaining.ValueKind);
        Assert.InRange(remaining.GetDouble(), 1, deadlineMs);
        Assert.NotNull(peer.Server.WaitForEvent("slow-cancelled", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Client_stream_to_grpc_js_is_summed()
    {
        var client = peer.CreateClient();
        using var call = client.Sum();
        foreach (var value in new long[] { 1, 2, 3, 4_000_000_000 }) await call.RequestStream.WriteAsync(new SumRequest { Value = value });
        await call.RequestStream.CompleteAsync();
        Assert.Equal(4_000_000_006, (await call).Total);
    }

    [Fact]
    public async Task Duplex_stream_with_grpc_js_is_answered_message_by_message()
    {
        var client = peer.CreateClient();
        using var call = client.Chat();
        await call.RequestStream.WriteAsync(new ChatMessage { Text = "one" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("echo: one", call.ResponseStream.Current.Text);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
