namespace Grpc.Core;

/// <summary>Base of every generated client: holds the call invoker the client's methods go through.</summary>
public abstract class ClientBase
{
    protected ClientBase() : this(new ClientBaseConfiguration(UnusableCallInvoker.Instance)) { }

    protected ClientBase(ChannelBase channel) : this(channel.CreateCallInvoker()) { }

    protected ClientBase(CallInvoker callInvoker) : this(new ClientBaseConfiguration(callInvoker)) { }

    protected ClientBase(ClientBaseConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        CallInvoker = configuration.CallInvoker;
    }

    protected internal CallInvoker CallInvoker { get; }

    internal ClientBaseConfiguration Configuration { get; }

    /// <summary>What a client is built from; lets a derived client make copies of itself.</summary>
    protected internal class ClientBaseConfiguration
    {
        internal ClientBaseConfiguration(CallInvoker callInvoker)
        {
            CallInvoker = callInvoker ?? throw new ArgumentNullException(nameof(callInvoker));
        }

        internal CallInvoker CallInvoker { get; }
    }

    /// <summary>The invoker of a client made for a test double: every call fails clearly.</summary>
    sealed class UnusableCallInvoker : CallInvoker
    {
        public static readonly UnusableCallInvoker Instance = new();

        static RpcException Fail() => new(new Status(StatusCode.FailedPrecondition, "This client was created without a channel or call invoker."));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) => throw Fail();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) => throw Fail();
    }
}

/// <summary>Typed base of generated clients.</summary>
public abstract class ClientBase<T> : ClientBase where T : ClientBase<T>
{
    protected ClientBase() { }

    protected ClientBase(ChannelBase channel) : base(channel) { }

    protected ClientBase(CallInvoker callInvoker) : base(callInvoker) { }

    protected ClientBase(ClientBaseConfiguration configuration) : base(configuration) { }

    protected abstract T NewInstance(ClientBaseConfiguration configuration);
}
