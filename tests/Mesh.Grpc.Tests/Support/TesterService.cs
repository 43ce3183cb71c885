using Grpc.Core;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests.Support;

/// <summary>The C# side of tester.proto; the grpc-js peer implements the same behaviour.</summary>
public sealed class TesterService(HandlerProbe probe) : Tester.TesterBase
{
    /// <summary>FailRequest.code that makes Fail throw a plain exception instead of an RpcException.</summary>
    public const int ThrowPlainException = -1;

    public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
    {
        var echoed = EchoMetadata(context.RequestHeaders);
        await context.WriteResponseHeadersAsync(echoed);
        foreach (var entry in echoed) context.ResponseTrailers.Add(entry);
        return new EchoReply { Text = request.Text, Blob = request.Blob };
    }

    public override async Task Count(CountRequest request, IServerStreamWriter<CountReply> responseStream, ServerCallContext context)
    {
        for (var number = 1; number <= request.Count; number++)
        {
            await responseStream.WriteAsync(new CountReply { Number = number });
        }
        if (request.FailCode != 0) throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
    }

    public override Task<FailReply> Fail(FailRequest request, ServerCallContext context)
    {
        if (request.Code == ThrowPlainException) throw new InvalidOperationException("internal detail that must not reach the client");
        throw new RpcException(new Status((StatusCode)request.Code, request.Message));
    }

    public override async Task<SlowReply> Slow(SlowRequest request, ServerCallContext context)
    {
        probe.SlowStarted(context.Deadline);
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
            return new SlowReply { CancelledSeen = false };
        }
        catch (OperationCanceledException)
        {
            probe.SlowCancelled();
            throw;
        }
    }

    public override async Task<SumReply> Sum(IAsyncStreamReader<SumRequest> requestStream, ServerCallContext context)
    {
        long total = 0;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken)) total += request.Value;
        return new SumReply { Total = total };
    }

    public override async Task Chat(IAsyncStreamReader<ChatMessage> requestStream, IServerStreamWriter<ChatMessage> responseStream, ServerCallContext context)
    {
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(new ChatMessage { Text = "echo: " + message.Text });
        }
    }

    static Metadata EchoMetadata(Metadata requestHeaders)
    {
        var echoed = new Metadata();
        foreach (var entry in requestHeaders)
        {
            if (entry.Key.StartsWith("echo-", StringComparison.Ordinal)) echoed.Add(entry);
        }
        return echoed;
    }
}

/// <summary>What the server-side handlers observed, for tests that check the server end of a call.</summary>
public sealed class HandlerProbe
{
    readonly SemaphoreSlim cancelled = new(0);
    readonly SemaphoreSlim started = new(0);
    readonly System.Collections.Concurrent.ConcurrentQueue<DateTime> deadlines = new();

    public void SlowStarted(DateTime deadline)
    {
        deadlines.Enqueue(deadline);
        started.Release();
    }

    /// <summary>True when a Slow handler started within the wait (the call reached the server).</summary>
    public Task<bool> WaitForSlowStartAsync(TimeSpan wait) => started.WaitAsync(wait);

    public void SlowCancelled() => cancelled.Release();

    public IReadOnlyCollection<DateTime> SlowDeadlines => deadlines;

    /// <summary>True when a Slow handler saw its cancellation token fire within the wait.</summary>
    public Task<bool> WaitForSlowCancellationAsync(TimeSpan wait) => cancelled.WaitAsync(wait);
}
