using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using Grpc.Core;
using Mesh.Grpc.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Mesh.Grpc.Server;

/// <summary>
/// The server side of one call over an HttpContext. All response output (headers, messages, the
/// closing status) goes through one lock, so a deadline can end the call while a handler still writes.
/// </summary>
internal sealed class HttpContextServerCallContext : ServerCallContext, IDisposable
{
    readonly HttpContext httpContext;
    readonly IMethod method;
    readonly GrpcServiceOptions options;
    readonly ILogger logger;
    readonly SemaphoreSlim responseLock = new(1, 1);
    // Made when the handler or an error adds trailers; most calls have none.
    Metadata? responseTrailers;
    // Only for calls with a grpc-timeout; otherwise the call's token is RequestAborted itself.
    DeadlineWheel.Deadline? armedDeadline;
    CancellationTokenSource? callCts;
    TimeSpan timeout;
    volatile bool deadlineExceeded;
    readonly CancellationToken requestAborted;
    Metadata? requestHeaders;
    DateTime deadline = DateTime.MaxValue;
    Status status = Status.DefaultSuccess;
    bool headersSent;
    bool completed;

    public HttpContextServerCallContext(HttpContext httpContext, IMethod method, GrpcServiceOptions options, ILogger logger)
    {
        this.httpContext = httpContext;
        this.method = method;
        this.options = options;
        this.logger = logger;
        requestAborted = httpContext.RequestAborted;
    }

    public string? RequestEncoding { get; private set; }

    public int? MaxReceiveMessageSize => options.MaxReceiveMessageSize;

    bool DeadlineExceeded => deadlineExceeded;

    /// <summary>Whether the request carried a usable grpc-timeout (known after <see cref="Initialize"/>).</summary>
    public bool HasDeadline => deadline != DateTime.MaxValue;

    /// <summary>Reads grpc-timeout and grpc-encoding; returns the status to end the call with when they are unusable.</summary>
    public Status? Initialize()
    {
        var request = httpContext.Request;
        string? timeoutValue = request.Headers[GrpcProtocol.TimeoutHeader];
        if (timeoutValue is not null)
        {
            // An unparsable grpc-timeout is ignored, as grpc-dotnet and grpc-go do, rather than failing the call.
            if (GrpcTimeout.TryParse(timeoutValue, out var parsed))
            {
                timeout = parsed;
                deadline = DateTime.UtcNow + parsed;
                callCts = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
            }
            else
            {
                logger.LogDebug("Ignoring invalid grpc-timeout '{Timeout}' on {Method}.", timeoutValue, method.FullName);
            }
        }

        string? encoding = request.Headers[GrpcProtocol.EncodingHeader];
        if (!GrpcProtocol.IsSupportedEncoding(encoding))
        {
            httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            return new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: {GrpcProtocol.SupportedEncodings}.");
        }
        RequestEncoding = encoding;
        return null;
    }

    // Set by the deadline's callback: the end of the call it started, which the request must outlive.
    Task? deadlineEnd;

    /// <summary>
    /// Arms the deadline (after <see cref="Initialize"/>, when <see cref="HasDeadline"/>): when it passes
    /// while the handler runs, the handler's token is cancelled and the call ends with DEADLINE_EXCEEDED
    /// at once. The handler itself runs inline on the request; the deadline waits on the process's
    /// <see cref="DeadlineWheel"/>, so no race and no timer is set up per call.
    /// </summary>
    public void StartDeadline() =>
        armedDeadline = DeadlineWheel.Shared.Arm(timeout, static state =>
        {
            var call = (HttpContextServerCallContext)state;
            call.deadlineExceeded = true;
            call.callCts!.Cancel();
            call.deadlineEnd = call.EndCallAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"));
        }, this);

    /// <summary>
    /// Once the handler is done: disarms the deadline and waits for an end of call it started, so nothing
    /// touches the HttpContext after the request completes.
    /// </summary>
    public async Task StopDeadlineAsync()
    {
        if (armedDeadline is null) return;
        // A deadline that fired: deadlineEnd is set once its callback has returned (cancelling the
        // handler's token may run the handler's own callbacks first).
        if (!DeadlineWheel.Shared.Disarm(armedDeadline)) await DeadlineWheel.CallbackReturned(armedDeadline);
        if (deadlineEnd is { } ending)
        {
            try
            {
                await ending;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                logger.LogDebug(e, "Could not send DEADLINE_EXCEEDED for {Method}.", method.FullName);
            }
        }
    }

    public async Task<TRequest> ReadSingleMessageAsync<TRequest>(Marshaller<TRequest> marshaller) where TRequest : class
    {
        var reader = httpContext.Request.BodyReader;
        var message = await MessageFraming.ReadMessageAsync(reader, marshaller, options.MaxReceiveMessageSize, RequestEncoding, CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The request stream ended without a message."));
        if (await MessageFraming.ReadMessageAsync(reader, marshaller, options.MaxReceiveMessageSize, RequestEncoding, CancellationToken) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Additional data after the message received."));
        }
        return message;
    }

    public async Task<TRequest?> ReadNextMessageAsync<TRequest>(Marshaller<TRequest> marshaller, CancellationToken cancellationToken) where TRequest : class
    {
        return await MessageFraming.ReadMessageAsync(httpContext.Request.BodyReader, marshaller, options.MaxReceiveMessageSize, RequestEncoding, cancellationToken);
    }

    /// <summary>
    /// Writes one response message. Without <paramref name="flush"/> it stays buffered until the call
    /// ends, so a unary answer leaves as one write: headers, message and trailers.
    /// </summary>
    public async Task WriteMessageAsync<TResponse>(Marshaller<TResponse> marshaller, TResponse message, CancellationToken cancellationToken, bool flush = true)
    {
        await responseLock.WaitAsync(cancellationToken);
        try
        {
            if (completed) throw new InvalidOperationException($"Cannot write a message: the call {method.FullName} is complete.");
            if (!headersSent) StartResponse();
            var body = httpContext.Response.BodyWriter;
            MessageFraming.WriteFrame(body, marshaller, message, options.MaxSendMessageSize);
            if (flush) await body.FlushAsync(cancellationToken);
        }
        finally
        {
            responseLock.Release();
        }
    }

    /// <summary>Sends the closing status once: in trailers after a message, else trailers-only.</summary>
    public async Task EndCallAsync(Status endStatus)
    {
        await responseLock.WaitAsync();
        try
        {
            if (completed) return;
            completed = true;
            var response = httpContext.Response;
            if (!headersSent)
            {
                StartResponse();
                ServerCallHandler.SetStatusHeaders(response.Headers, endStatus);
                if (responseTrailers is not null)
                    foreach (var entry in responseTrailers)
                        if (!GrpcProtocol.IsTransportHeader(entry.Key)) response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
            else
            {
                response.AppendTrailer(GrpcProtocol.StatusHeader, ((int)endStatus.StatusCode).ToString(CultureInfo.InvariantCulture));
                if (endStatus.Detail.Length > 0) response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcStatusMessage.Encode(endStatus.Detail));
                if (responseTrailers is not null)
                    foreach (var entry in responseTrailers)
                        if (!GrpcProtocol.IsTransportHeader(entry.Key)) response.AppendTrailer(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
            if (!httpContext.RequestAborted.IsCancellationRequested) await response.CompleteAsync();
        }
        finally
        {
            responseLock.Release();
        }
    }

    public async Task EndCallWithErrorAsync(Exception exception)
    {
        if (httpContext.RequestAborted.IsCancellationRequested && !DeadlineExceeded)
        {
            // The client reset the stream: nobody is left to read a status.
            logger.LogDebug("Call {Method} was cancelled by the client.", method.FullName);
            return;
        }
        Status endStatus;
        if (exception is RpcException rpc)
        {
            endStatus = rpc.Status;
            foreach (var entry in rpc.Trailers) ResponseTrailersCore.Add(entry);
            logger.LogInformation("Call {Method} ended with status {StatusCode}: {Detail}", method.FullName, endStatus.StatusCode, endStatus.Detail);
        }
        else if (DeadlineExceeded)
        {
            endStatus = new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }
        else
        {
            var detail = options.EnableDetailedErrors
                ? $"Exception was thrown by handler. {exception.GetType().Name}: {exception.Message}"
                : "Exception was thrown by handler.";
            endStatus = new Status(StatusCode.Unknown, detail, exception);
            logger.LogError(exception, "Handler of {Method} threw an exception.", method.FullName);
        }
        try
        {
            await EndCallAsync(endStatus);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            logger.LogDebug(e, "Could not send the status of {Method}.", method.FullName);
        }
    }

    void StartResponse()
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        headersSent = true;
    }

    protected override async Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await responseLock.WaitAsync(CancellationToken);
        try
        {
            if (completed) throw new InvalidOperationException($"Cannot write response headers: the call {method.FullName} is complete.");
            if (headersSent) throw new InvalidOperationException("Response headers can only be sent once per call.");
            StartResponse();
            foreach (var entry in responseHeaders)
            {
                if (!GrpcProtocol.IsTransportHeader(entry.Key)) httpContext.Response.Headers.Append(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
            await httpContext.Response.BodyWriter.FlushAsync(CancellationToken);
        }
        finally
        {
            responseLock.Release();
        }
    }

    protected override string MethodCore => method.FullName;

    protected override string HostCore => httpContext.Request.Host.Value ?? "";

    protected override string PeerCore
    {
        get
        {
            var connection = httpContext.Connection;
            var address = connection.RemoteIpAddress;
            if (address is null) return "unknown";
            return address.AddressFamily == AddressFamily.InterNetworkV6
                ? $"ipv6:[{address}]:{connection.RemotePort}"
                : $"ipv4:{address}:{connection.RemotePort}";
        }
    }

    protected override DateTime DeadlineCore => deadline;

    protected override Metadata RequestHeadersCore
    {
        get
        {
            if (requestHeaders is null)
            {
                var metadata = new Metadata();
                foreach (var (name, values) in httpContext.Request.Headers) MetadataHeaders.AddHeader(metadata, name, values);
                requestHeaders = metadata;
            }
            return requestHeaders;
        }
    }

    protected override CancellationToken CancellationTokenCore => callCts?.Token ?? requestAborted;

    protected override Metadata ResponseTrailersCore => responseTrailers ??= [];

    protected override Status StatusCore
    {
        get => status;
        set => status = value;
    }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    public void Dispose()
    {
        callCts?.Dispose();
        responseLock.Dispose();
    }
}
