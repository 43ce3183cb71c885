using System.Collections.Concurrent;
using Grpc.Core;
using Mesh.Grpc.Protocol;

namespace Mesh.Grpc.Client;

/// <summary>Client settings of a channel; the names follow Grpc.Net.Client.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>An HttpClient to send calls with; its handler must speak HTTP/2. Takes precedence over HttpHandler.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>The handler of the channel's own HttpClient; a SocketsHttpHandler when not set.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes a given HttpClient or HttpHandler.</summary>
    public bool DisposeHttpClient { get; set; }

    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    public int? MaxSendMessageSize { get; set; }
}

/// <summary>
/// A gRPC channel over HttpClient and HTTP/2. For http:// addresses calls use h2c with prior knowledge
/// (HTTP/2 without TLS or upgrade), for https:// addresses HTTP/2 negotiated by ALPN.
/// </summary>
public sealed class GrpcChannel : ChannelBase, IDisposable
{
    readonly bool disposeHttpClient;
    // Parsing a Uri per call is measurable (bench/Mesh.Grpc.Benchmarks); a channel calls few methods.
    readonly ConcurrentDictionary<string, Uri> methodUris = new(StringComparer.Ordinal);

    GrpcChannel(Uri address, GrpcChannelOptions options) : base(address.Authority)
    {
        Address = address;
        MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        MaxSendMessageSize = options.MaxSendMessageSize;
        if (options.HttpClient is not null)
        {
            HttpClient = options.HttpClient;
            HttpInvoker = options.HttpClient;
            disposeHttpClient = options.DisposeHttpClient;
        }
        else
        {
            var handler = options.HttpHandler ?? CreateDefaultHandler();
            var ownsHandler = options.HttpHandler is null || options.DisposeHttpClient;
            // The handler is called through an HttpMessageInvoker, not an HttpClient: HttpClient links a new
            // CancellationTokenSource to its pending-requests source for every request sent with a cancelable
            // token (every call is), and has nothing a call needs (no timeout: the call deadline bounds a call,
            // a stream may legitimately run long; no default headers; no response buffering).
            HttpInvoker = new HttpMessageInvoker(handler, ownsHandler);
            disposeHttpClient = true;
        }
    }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"A gRPC channel address must be an absolute http:// or https:// URI, not '{address}'.", nameof(address));
        }
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    public Uri Address { get; }

    /// <summary>The HttpClient given in the options, if any (sent through with ResponseHeadersRead).</summary>
    internal HttpClient? HttpClient { get; }

    /// <summary>What calls are sent through: the given HttpClient, else an invoker over the handler.</summary>
    internal HttpMessageInvoker HttpInvoker { get; }

    /// <summary>Sends a call's request; completes when the response headers have arrived.</summary>
    internal Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        HttpClient is { } client
            ? client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            : HttpInvoker.SendAsync(request, cancellationToken);

    internal int? MaxReceiveMessageSize { get; }

    /// <summary>The request URI of a method: the channel address joined with /package.Service/Method.</summary>
    internal Uri GetMethodUri(string fullName) =>
        methodUris.GetOrAdd(fullName, static (name, address) => new Uri(address, name), Address);

    internal int? MaxSendMessageSize { get; }

    public override CallInvoker CreateCallInvoker() => new HttpClientCallInvoker(this);

    static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        // Keep idle HTTP/2 connections alive through proxies and detect dead peers.
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
    };

    public void Dispose()
    {
        if (disposeHttpClient) HttpInvoker.Dispose();
    }
}
