using Grpc.Core;

namespace Mesh.Grpc.Server;

/// <summary>The request stream of a client-streaming or duplex call.</summary>
internal sealed class HttpContextStreamReader<TRequest>(HttpContextServerCallContext call, Marshaller<TRequest> marshaller) : IAsyncStreamReader<TRequest>
    where TRequest : class
{
    TRequest? current;
    bool ended;

    public TRequest Current => current ?? throw new InvalidOperationException("No current message: call MoveNext first and check that it returned true.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        if (ended) return false;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, cancellationToken);
        current = await call.ReadNextMessageAsync(marshaller, linked.Token);
        ended = current is null;
        return !ended;
    }
}

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class HttpContextStreamWriter<TResponse>(HttpContextServerCallContext call, Marshaller<TResponse> marshaller) : IServerStreamWriter<TResponse>
    where TResponse : class
{
    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(TResponse message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(TResponse message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.CancellationToken, cancellationToken);
        await call.WriteMessageAsync(marshaller, message, linked.Token);
    }
}
