using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>The state every client call exposes besides its messages: headers, status, trailers, disposal.</summary>
public abstract class CallState(Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction) : IDisposable
{
    /// <summary>The response headers, once received.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; } = responseHeadersAsync;

    /// <summary>The status of a finished call; throws while the call is still running.</summary>
    public Status GetStatus() => getStatusFunc();

    /// <summary>The trailers of a finished call; throws while the call is still running.</summary>
    public Metadata GetTrailers() => getTrailersFunc();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose()
    {
        disposeAction();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A unary call in flight; await it for the response.</summary>
public sealed class AsyncUnaryCall<TResponse>(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    : CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction)
{
    public Task<TResponse> ResponseAsync { get; } = responseAsync;

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);
}

/// <summary>A server-streaming call in flight; read ResponseStream to its end.</summary>
public sealed class AsyncServerStreamingCall<TResponse>(IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    : CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction)
{
    public IAsyncStreamReader<TResponse> ResponseStream { get; } = responseStream;
}

/// <summary>A client-streaming call in flight: write RequestStream, complete it, await the response.</summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse>(IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    : CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction)
{
    public IClientStreamWriter<TRequest> RequestStream { get; } = requestStream;

    public Task<TResponse> ResponseAsync { get; } = responseAsync;

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    public ConfiguredTaskAwaitable<TResponse> ConfigureAwait(bool continueOnCapturedContext) => ResponseAsync.ConfigureAwait(continueOnCapturedContext);
}

/// <summary>A duplex call in flight: both streams open at once.</summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse>(IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
    : CallState(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction)
{
    public IClientStreamWriter<TRequest> RequestStream { get; } = requestStream;

    public IAsyncStreamReader<TResponse> ResponseStream { get; } = responseStream;
}
