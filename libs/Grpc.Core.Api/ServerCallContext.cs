namespace Grpc.Core;

/// <summary>What a handler knows of its call and how it sets the outcome; the transport implements the Core members.</summary>
public abstract class ServerCallContext
{
    Dictionary<object, object>? userState;

    public Task WriteResponseHeadersAsync(Metadata responseHeaders) => WriteResponseHeadersAsyncCore(responseHeaders);

    public string Method => MethodCore;

    public string Host => HostCore;

    public string Peer => PeerCore;

    /// <summary>The call's deadline (UTC); DateTime.MaxValue when the client set none.</summary>
    public DateTime Deadline => DeadlineCore;

    public Metadata RequestHeaders => RequestHeadersCore;

    /// <summary>Cancelled when the client goes away or the deadline passes.</summary>
    public CancellationToken CancellationToken => CancellationTokenCore;

    public Metadata ResponseTrailers => ResponseTrailersCore;

    /// <summary>The status sent when the handler returns normally; a thrown RpcException wins over it.</summary>
    public Status Status
    {
        get => StatusCore;
        set => StatusCore = value;
    }

    public WriteOptions? WriteOptions
    {
        get => WriteOptionsCore;
        set => WriteOptionsCore = value;
    }

    public IDictionary<object, object> UserState => UserStateCore;

    protected abstract Task WriteResponseHeadersAsyncCore(Metadata responseHeaders);

    protected abstract string MethodCore { get; }

    protected abstract string HostCore { get; }

    protected abstract string PeerCore { get; }

    protected abstract DateTime DeadlineCore { get; }

    protected abstract Metadata RequestHeadersCore { get; }

    protected abstract CancellationToken CancellationTokenCore { get; }

    protected abstract Metadata ResponseTrailersCore { get; }

    protected abstract Status StatusCore { get; set; }

    protected abstract WriteOptions? WriteOptionsCore { get; set; }

    protected virtual IDictionary<object, object> UserStateCore => userState ??= [];
}
