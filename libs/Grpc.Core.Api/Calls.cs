using System.Runtime.CompilerServices;

namespace Grpc.Core;

/// <summary>The state every client call exposes besides its messages: headers, status, trailers, disposal.</summary>
public abstract class CallState : IDisposable
{
    // Either the Func/Action form or the stateful form (static delegates over one state object, no allocation per call).
    readonly Func<object, Task<Metadata>> responseHeadersFunc;
    readonly Func<object, Status> getStatusFunc;
    readonly Func<object, Metadata> getTrailersFunc;
    readonly Action<object> disposeAction;
    readonly object state;

    protected CallState(Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : this(static s => ((Delegates)s).Headers, static s => ((Delegates)s).Status(), static s => ((Delegates)s).Trailers(),
            static s => ((Delegates)s).Dispose(), new Delegates(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction))
    {
    }

    protected CallState(Func<object, Task<Metadata>> responseHeadersAsync, Func<object, Status> getStatusFunc, Func<object, Metadata> getTrailersFunc,
        Action<object> disposeAction, object state)
    {
        responseHeadersFunc = responseHeadersAsync;
        this.getStatusFunc = getStatusFunc;
        this.getTrailersFunc = getTrailersFunc;
        this.disposeAction = disposeAction;
        this.state = state;
    }

    sealed record Delegates(Task<Metadata> Headers, Func<Status> Status, Func<Metadata> Trailers, Action Dispose);

    /// <summary>The response headers, once received.</summary>
    public Task<Metadata> ResponseHeadersAsync => responseHeadersFunc(state);

    /// <summary>The status of a finished call; throws while the call is still running.</summary>
    public Status GetStatus() => getStatusFunc(state);

    /// <summary>The trailers of a finished call; throws while the call is still running.</summary>
    public Metadata GetTrailers() => getTrailersFunc(state);

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose()
    {
        disposeAction(state);
        GC.SuppressFinalize(this);
    }
}

/// <summary>A unary call in flight; await it for the response.</summary>
public sealed class AsyncUnaryCall<TResponse> : CallState
{
    public AsyncUnaryCall(Task<TResponse> responseAsync, Task<Metadata> responseHeadersAsync, Func<Status> getStatusFunc, Func<Metadata> getTrailersFunc, Action disposeAction)
        : base(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction) => ResponseAsync = responseAsync;

    /// <summary>The form of Grpc.Core.Api 2.x for invokers: static delegates over <paramref name="state"/>, nothing allocated per call.</summary>
    public AsyncUnaryCall(Task<TResponse> responseAsync, Func<object, Task<Metadata>> responseHeadersAsync, Func<object, Status> getStatusFunc,
        Func<object, Metadata> getTrailersFunc, Action<object> disposeAction, object state)
        : base(responseHeadersAsync, getStatusFunc, getTrailersFunc, disposeAction, state) => ResponseAsync = responseAsync;

    public Task<TResponse> ResponseAsync { get; }

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
