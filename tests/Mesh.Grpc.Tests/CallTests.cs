using Google.Protobuf;
using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.Grpc.Tests.Support;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests;

/// <summary>Generated client against generated service base, over Kestrel and HttpClient: every call shape and outcome.</summary>
public sealed class CallTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Unary_call_returns_the_response_message()
    {
        var client = server.CreateClient();
        var reply = await client.EchoAsync(new EchoRequest { Text = "hello", Blob = ByteString.CopyFrom(1, 2, 3) });
        Assert.Equal("hello", reply.Text);
        Assert.Equal([1, 2, 3], reply.Blob.ToByteArray());
    }

    [Fact]
    public void Blocking_unary_call_returns_the_response_message()
    {
        var client = server.CreateClient();
        Assert.Equal("sync", client.Echo(new EchoRequest { Text = "sync" }).Text);
    }

    [Fact]
    public async Task Text_and_binary_metadata_cross_in_request_headers_response_headers_and_trailers()
    {
        var client = server.CreateClient();
        byte[] binary = [0, 1, 2, 253, 254, 255];
        var headers = new Metadata { { "echo-text", "plain ascii value" }, { "echo-data-bin", binary }, { "other", "not echoed" } };
        using var call = client.EchoAsync(new EchoRequest { Text = "m" }, headers);
        await call;
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("plain ascii value", responseHeaders.GetValue("echo-text"));
        Assert.Equal(binary, responseHeaders.GetValueBytes("echo-data-bin"));
        Assert.Null(responseHeaders.Get("other"));
        var trailers = call.GetTrailers();
        Assert.Equal("plain ascii value", trailers.GetValue("echo-text"));
        Assert.Equal(binary, trailers.GetValueBytes("echo-data-bin"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_stream_delivers_every_message_in_order_then_OK()
    {
        var client = server.CreateClient();
        using var call = client.Count(new CountRequest { Count = 50 });
        var numbers = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync()) numbers.Add(reply.Number);
        Assert.Equal(Enumerable.Range(1, 50), numbers);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_stream_of_no_messages_ends_with_OK()
    {
        var client = server.CreateClient();
        using var call = client.Count(new CountRequest { Count = 0 });
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Error_after_streamed_messages_arrives_in_the_trailers()
    {
        var client = server.CreateClient();
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

    public static TheoryData<StatusCode> ErrorCodes()
    {
        var data = new TheoryData<StatusCode>();
        foreach (var code in Enum.GetValues<StatusCode>().Where(c => c != StatusCode.OK)) data.Add(code);
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorCodes))]
    public async Task Every_status_code_crosses_with_its_message(StatusCode code)
    {
        var client = server.CreateClient();
        var message = $"failed with {code}: 100% ünïcode – \"quoted\"\nsecond line";
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.FailAsync(new FailRequest { Code = (int)code, Message = message }));
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public async Task Unhandled_handler_exception_is_UNKNOWN_without_its_detail()
    {
        var client = server.CreateClient();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.FailAsync(new FailRequest { Code = TesterService.ThrowPlainException }));
        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.DoesNotContain("internal detail", error.Status.Detail);
    }

    [Fact]
    public async Task Deadline_ends_the_call_with_DEADLINE_EXCEEDED_and_cancels_the_handler()
    {
        var client = server.CreateClient();
        var started = DateTime.UtcNow;
        // Long enough for the call to reach the handler on a loaded machine (a deadline that passes in
        // transit never starts it), far shorter than the handler's 30 s.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.SlowAsync(new SlowRequest { DelayMs = 30_000 }, deadline: DateTime.UtcNow.AddSeconds(2)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the call ended long after its deadline");
        Assert.True(await server.Probe.WaitForSlowCancellationAsync(Wait), "the handler's cancellation token did not fire");
    }

    [Fact]
    public async Task Deadline_reaches_the_handler_as_ServerCallContext_Deadline()
    {
        var client = server.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        await client.SlowAsync(new SlowRequest { DelayMs = 1 }, deadline: deadline);
        Assert.Contains(server.Probe.SlowDeadlines, seen => (seen - deadline).Duration() < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Deadline_already_past_fails_without_reaching_the_server()
    {
        var client = server.CreateClient();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.EchoAsync(new EchoRequest { Text = "late" }, deadline: DateTime.UtcNow.AddSeconds(-1)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task Client_cancellation_is_CANCELLED_and_resets_the_server_call()
    {
        var client = server.CreateClient();
        using var cts = new CancellationTokenSource();
        while (await server.Probe.WaitForSlowStartAsync(TimeSpan.Zero)) { } // starts of earlier tests' calls
        var call = client.SlowAsync(new SlowRequest { DelayMs = 30_000 }, cancellationToken: cts.Token);
        // Cancel once the call runs at the server: a cancellation before it arrives never reaches a handler.
        Assert.True(await server.Probe.WaitForSlowStartAsync(Wait), "the call did not reach the handler");
        cts.Cancel();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(await server.Probe.WaitForSlowCancellationAsync(Wait), "the handler's cancellation token did not fire");
    }

    [Fact]
    public async Task Client_streaming_call_sends_every_message()
    {
        var client = server.CreateClient();
        using var call = client.Sum();
        foreach (var value in new long[] { 1, 2, 3, 4_000_000_000 }) await call.RequestStream.WriteAsync(new SumRequest { Value = value });
        await call.RequestStream.CompleteAsync();
        Assert.Equal(4_000_000_006, (await call).Total);
    }

    [Fact]
    public async Task Duplex_call_answers_each_message_while_the_request_stream_is_open()
    {
        var client = server.CreateClient();
        using var call = client.Chat();
        await call.RequestStream.WriteAsync(new ChatMessage { Text = "one" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("echo: one", call.ResponseStream.Current.Text);
        await call.RequestStream.WriteAsync(new ChatMessage { Text = "two" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal("echo: two", call.ResponseStream.Current.Text);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Request_over_the_server_receive_limit_is_RESOURCE_EXHAUSTED()
    {
        var client = server.CreateClient();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.EchoAsync(new EchoRequest { Blob = ByteString.CopyFrom(new byte[GrpcServerFixture.MaxReceiveMessageSize + 1]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Response_over_the_client_receive_limit_is_RESOURCE_EXHAUSTED()
    {
        var client = server.CreateClient(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.EchoAsync(new EchoRequest { Blob = ByteString.CopyFrom(new byte[4096]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Request_over_the_client_send_limit_is_RESOURCE_EXHAUSTED_before_sending()
    {
        var client = server.CreateClient(new GrpcChannelOptions { MaxSendMessageSize = 1024 });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.EchoAsync(new EchoRequest { Blob = ByteString.CopyFrom(new byte[4096]) }));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Status_and_trailers_are_unavailable_while_the_call_runs()
    {
        var client = server.CreateClient();
        using var call = client.SlowAsync(new SlowRequest { DelayMs = 500 });
        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());
        await call;
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }
}
