using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Mesh.Grpc.Protocol;

namespace Mesh.Grpc.Client;

/// <summary>
/// One client call: the HTTP/2 request, the response headers, messages and trailers, and the final
/// status. The deadline is sent as grpc-timeout and also enforced here, so a silent server cannot hold a call.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : IDisposable where TRequest : class where TResponse : class
{
    static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    const string UserAgent = "grpc-csharp-mesh/1.0";

    readonly GrpcChannel channel;
    readonly Method<TRequest, TResponse> method;
    readonly CallOptions options;
    // Only for calls with a deadline, on the process's deadline wheel.
    DeadlineWheel.Deadline? armedDeadline;
    volatile bool deadlineExceeded;
    // Cancelled by the caller's token, the deadline or Dispose; never disposed, so late readers see a token, not an exception.
    readonly CancellationTokenSource callCts = new();
    readonly CancellationTokenRegistration callerRegistration;
    // Made when somebody asks for the response headers (most calls never do); guarded by gate.
    TaskCompletionSource<Metadata>? responseHeaders;
    HttpHeaders? receivedHeaders;
    readonly Lock gate = new();
    Task<HttpResponseMessage>? sendTask;
    HttpResponseMessage? response;
    // The response body, read directly: a PipeReader per call costs more than it saves for small messages.
    Stream? responseStream;
    StreamMessageReader? messageReader;
    string? responseEncoding;
    PushStreamContent? requestContent;
    Status? status;
    // Trailers as metadata, made when asked for; an OK call keeps the received trailers until then.
    Metadata? trailers;
    HttpHeaders? receivedTrailers;
    bool disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        this.channel = channel;
        this.method = method;
        this.options = options;
        callerRegistration = options.CancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), callCts);
    }

    public Task<Metadata> ResponseHeadersAsync
    {
        get
        {
            TaskCompletionSource<Metadata> source;
            HttpHeaders? received;
            Status? finished;
            lock (gate)
            {
                if (responseHeaders is { } made) return made.Task;
                source = responseHeaders = new TaskCompletionSource<Metadata>(TaskCreationOptions.RunContinuationsAsynchronously);
                received = receivedHeaders;
                finished = status;
            }
            if (received is not null) source.TrySetResult(ToMetadata(received));
            else if (finished is { StatusCode: not StatusCode.OK } failed) source.TrySetException(StatusException());
            return source.Task;
        }
    }

    /// <summary>Records the response headers, and completes ResponseHeadersAsync when somebody waits for them.</summary>
    void HeadersReceived(HttpHeaders headers)
    {
        TaskCompletionSource<Metadata>? waiting;
        lock (gate)
        {
            receivedHeaders = headers;
            waiting = responseHeaders;
        }
        waiting?.TrySetResult(ToMetadata(headers));
    }

    public Status GetStatus()
    {
        lock (gate) return status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");
    }

    public Metadata GetTrailers()
    {
        lock (gate)
        {
            if (status is null) throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");
            return Trailers;
        }
    }

    /// <summary>The trailers once the call has a status (empty before); made from the received ones on first use.</summary>
    Metadata Trailers => trailers ??= receivedTrailers is { } received ? ToMetadata(received) : Metadata.Empty;

    bool DeadlineExceeded => deadlineExceeded;

    public Task<TResponse> StartUnary(TRequest request)
    {
        if (!TryStart(CreateMessageContent(request), out var failure)) return Task.FromException<TResponse>(failure);
        return ReadUnaryResponseAsync();
    }

    public IAsyncStreamReader<TResponse> StartServerStreaming(TRequest request)
    {
        TryStart(CreateMessageContent(request), out _);
        return new ResponseStreamReader(this);
    }

    public (IClientStreamWriter<TRequest>, Task<TResponse>) StartClientStreaming()
    {
        requestContent = new PushStreamContent(GrpcContentType);
        var writer = new RequestStreamWriter(this, requestContent);
        if (!TryStart(requestContent, out var failure)) return (writer, Task.FromException<TResponse>(failure));
        return (writer, ReadUnaryResponseAsync());
    }

    public (IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>) StartDuplexStreaming()
    {
        requestContent = new PushStreamContent(GrpcContentType);
        TryStart(requestContent, out _);
        return (new RequestStreamWriter(this, requestContent), new ResponseStreamReader(this));
    }

    HttpContent CreateMessageContent(TRequest request)
    {
        ReadOnlyMemory<byte> frame;
        try
        {
            frame = MessageFraming.Frame(method.RequestMarshaller, request, channel.MaxSendMessageSize);
        }
        catch (RpcException e)
        {
            Finish(e.Status, Metadata.Empty);
            return new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
        }
        var content = new ReadOnlyMemoryContent(frame);
        content.Headers.ContentType = GrpcContentType;
        return content;
    }

    /// <summary>Sends the request headers (and a fixed body); false with the exception when the call ended before that.</summary>
    bool TryStart(HttpContent content, out RpcException failure)
    {
        failure = null!;
        if (status is not null)
        {
            failure = StatusException();
            return false;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, channel.GetMethodUri(method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);

        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                // Already past: fail without sending, as the server would only answer DEADLINE_EXCEEDED.
                deadlineExceeded = true;
                callCts.Cancel();
                failure = Fail(new OperationCanceledException());
                return false;
            }
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(remaining));
            armedDeadline = DeadlineWheel.Shared.Arm(remaining, static state =>
            {
                var call = (GrpcCall<TRequest, TResponse>)state;
                call.deadlineExceeded = true;
                call.callCts.Cancel();
            }, this);
        }
        if (options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (!GrpcProtocol.IsTransportHeader(entry.Key)) headers.TryAddWithoutValidation(entry.Key, MetadataHeaders.ToHeaderValue(entry));
            }
        }
        sendTask = channel.SendAsync(request, callCts.Token);
        return true;
    }

    /// <summary>Waits for the response headers; false when the response is trailers-only (the call is then finished).</summary>
    async Task<bool> ReceiveHeadersAsync()
    {
        if (responseStream is not null) return true;
        if (sendTask is null) throw new RpcException(status ?? new Status(StatusCode.Internal, "The call was not started."), trailers ?? Metadata.Empty);
        return await OpenResponseAsync(await sendTask.ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks the response headers and opens the body; false when the response is trailers-only (the
    /// call is then finished). Completes at once for HttpClient's own responses, so it adds no wait.
    /// </summary>
    async ValueTask<bool> OpenResponseAsync(HttpResponseMessage received)
    {
        response = received;
        var headers = received.Headers;
        var (statusValue, message, encoding) = ScanGrpcHeaders(headers);
        if (statusValue is not null)
        {
            // Trailers-only: status and trailers arrive in the only HEADERS frame.
            HeadersReceived(headers);
            Finish(ParseStatus(statusValue, message), null, headers);
            return false;
        }
        if (received.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)received.StatusCode;
            throw new RpcException(new Status(HttpStatusMapping.ToStatusCode(code), $"Bad gRPC response. HTTP status code: {code}."));
        }
        // As received: ContentType would parse the header into a MediaTypeHeaderValue and print it again.
        var contentType = FirstValue(received.Content.Headers, "Content-Type");
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Bad gRPC response. Invalid content-type value: '{contentType}'."));
        }
        responseEncoding = encoding;
        HeadersReceived(headers);
        responseStream = await received.Content.ReadAsStreamAsync(callCts.Token).ConfigureAwait(false);
        messageReader = new StreamMessageReader(responseStream, channel.MaxReceiveMessageSize);
        return true;
    }

    /// <summary>The next response message, or null once the stream and its trailers have been read.</summary>
    async Task<TResponse?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var message = await messageReader!.ReadMessageAsync(method.ResponseMarshaller, responseEncoding, cancellationToken).ConfigureAwait(false);
        if (message is not null) return message;
        FinishWithTrailers();
        return null;
    }

    /// <summary>Once the body has ended: the call's status from the trailers.</summary>
    void FinishWithTrailers()
    {
        var trailing = response!.TrailingHeaders;
        var (statusValue, detail, _) = ScanGrpcHeaders(trailing);
        if (statusValue is null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "No grpc-status found on response."));
        }
        Finish(ParseStatus(statusValue, detail), null, trailing);
    }

    async Task<TResponse> ReadUnaryResponseAsync()
    {
        try
        {
            // The response's own await: the headers' wait is the only one of most calls.
            if (!await OpenResponseAsync(await sendTask!.ConfigureAwait(false)).ConfigureAwait(false)) throw StatusException();
            var reader = messageReader!;
            var message = await reader.ReadMessageAsync(method.ResponseMarshaller, responseEncoding, callCts.Token).ConfigureAwait(false);
            if (message is not null && await reader.ReadMessageAsync(method.ResponseMarshaller, responseEncoding, callCts.Token).ConfigureAwait(false) is not null)
            {
                throw new RpcException(new Status(StatusCode.Internal, "The server sent more than one message for a unary response."));
            }
            FinishWithTrailers();
            if (status!.Value.StatusCode != StatusCode.OK) throw StatusException();
            return message ?? throw new RpcException(new Status(StatusCode.Internal, "The server ended the call with OK but sent no response message."));
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
        finally
        {
            EndReading();
        }
    }

    RpcException StatusException()
    {
        lock (gate) return new(status!.Value, Trailers);
    }

    static Status ParseStatus(string value, string? message)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return new Status(StatusCode.Internal, $"Unexpected grpc-status value '{value}'.");
        }
        var detail = message is not null ? GrpcStatusMessage.Decode(message) : "";
        // Codes beyond the known range are UNKNOWN (statuscodes.md).
        var statusCode = code is >= 0 and <= (int)StatusCode.Unauthenticated ? (StatusCode)code : StatusCode.Unknown;
        return new Status(statusCode, detail);
    }

    // Headers are read as received (NonValidated): no parsing into typed values, no arrays per header.
    static Metadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (GrpcProtocol.IsTransportHeader(name)) continue;
            foreach (var value in values) MetadataHeaders.AddValue(metadata, name, value);
        }
        return metadata;
    }

    static string? FirstValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? FirstValue(values) : null;

    static string? FirstValue(HeaderStringValues values)
    {
        foreach (var value in values) return value;
        return null;
    }

    /// <summary>grpc-status, grpc-message and grpc-encoding in one pass (a lookup by name parses the name each time).</summary>
    static (string? Status, string? Message, string? Encoding) ScanGrpcHeaders(HttpHeaders headers)
    {
        string? status = null, message = null, encoding = null;
        foreach (var (name, values) in headers.NonValidated)
        {
            if (name.Equals(GrpcProtocol.StatusHeader, StringComparison.OrdinalIgnoreCase)) status = FirstValue(values);
            else if (name.Equals(GrpcProtocol.MessageHeader, StringComparison.OrdinalIgnoreCase)) message = FirstValue(values);
            else if (name.Equals(GrpcProtocol.EncodingHeader, StringComparison.OrdinalIgnoreCase)) encoding = FirstValue(values);
        }
        return (status, message, encoding);
    }

    /// <summary>
    /// Records the final status once; later outcomes (a cancel after the trailers) do not change it.
    /// Trailers received over HTTP become metadata only when somebody asks for them.
    /// </summary>
    void Finish(Status finalStatus, Metadata? finalTrailers, HttpHeaders? received = null)
    {
        lock (gate)
        {
            if (status is not null) return;
            status = finalStatus;
            trailers = finalTrailers;
            receivedTrailers = received;
        }
        AfterFinish(finalStatus);
    }

    void AfterFinish(Status finalStatus)
    {
        if (finalStatus.StatusCode != StatusCode.OK)
        {
            TaskCompletionSource<Metadata>? waiting;
            lock (gate) waiting = responseHeaders;
            waiting?.TrySetException(StatusException());
        }
        if (armedDeadline is { } armed) DeadlineWheel.Shared.Disarm(armed);
        requestContent?.Abort();
    }

    /// <summary>
    /// Turns whatever ended the call into its RpcException and makes that the call's status. A failure
    /// found after an OK status (a unary call without a message) replaces that OK.
    /// </summary>
    RpcException Fail(Exception exception)
    {
        Status final;
        Metadata finalTrailers;
        lock (gate)
        {
            if (status is { StatusCode: not StatusCode.OK } known)
            {
                final = known;
                finalTrailers = Trailers;
            }
            else
            {
                final = exception switch
                {
                    _ when DeadlineExceeded => new Status(StatusCode.DeadlineExceeded, "", exception),
                    _ when options.CancellationToken.IsCancellationRequested || disposed => new Status(StatusCode.Cancelled, "Call canceled by the client.", exception),
                    RpcException rpc => rpc.Status,
                    _ => FromTransportError(exception),
                };
                finalTrailers = status is null && exception is RpcException { Trailers: var t } ? t : Trailers;
                status = final;
                trailers = finalTrailers;
            }
        }
        AfterFinish(final);
        callCts.Cancel();
        return new RpcException(final, finalTrailers);
    }

    /// <summary>HTTP/2 stream errors map as in PROTOCOL-HTTP2.md ("Errors"); a lost connection is UNAVAILABLE.</summary>
    static Status FromTransportError(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException protocol)
            {
                var code = protocol.ErrorCode switch
                {
                    0x7 => StatusCode.Unavailable,        // REFUSED_STREAM
                    0x8 => StatusCode.Cancelled,          // CANCEL
                    0xb => StatusCode.ResourceExhausted,  // ENHANCE_YOUR_CALM
                    0xc => StatusCode.PermissionDenied,   // INADEQUATE_SECURITY
                    _ => StatusCode.Internal,
                };
                return new Status(code, $"HTTP/2 stream error 0x{protocol.ErrorCode:x}: {protocol.Message}", exception);
            }
        }
        return new Status(StatusCode.Unavailable, $"Error in the gRPC call. {exception.GetType().Name}: {exception.Message}", exception);
    }

    void ReleaseTransport()
    {
        responseStream?.Dispose();
        response?.Dispose();
    }

    /// <summary>After the call's last read, never while one runs: the read buffer goes back to its pool too.</summary>
    void EndReading()
    {
        ReleaseTransport();
        messageReader?.Release();
    }

    /// <summary>Disposing a running call cancels it (RST_STREAM to the server).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
        }
        if (status is null)
        {
            Finish(new Status(StatusCode.Cancelled, "Call canceled by the client."), Metadata.Empty);
        }
        callCts.Cancel();
        callerRegistration.Dispose();
        ReleaseTransport();
    }

    /// <summary>Reads the response stream of a server-streaming or duplex call.</summary>
    sealed class ResponseStreamReader(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    {
        TResponse? current;

        public TResponse Current => current ?? throw new InvalidOperationException("No current message: call MoveNext first and check that it returned true.");

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            current = null;
            if (call.status is { } finished)
            {
                if (finished.StatusCode == StatusCode.OK) return false;
                throw call.StatusException();
            }
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.callCts.Token, cancellationToken);
            try
            {
                if (!await call.ReceiveHeadersAsync().ConfigureAwait(false))
                {
                    if (call.status!.Value.StatusCode == StatusCode.OK) return false;
                    throw call.StatusException();
                }
                current = await call.ReadMessageAsync(linked.Token).ConfigureAwait(false);
                if (current is not null) return true;
                call.EndReading();
                if (call.status!.Value.StatusCode == StatusCode.OK) return false;
                throw call.StatusException();
            }
            catch (Exception e)
            {
                var failure = cancellationToken.IsCancellationRequested && !call.callCts.IsCancellationRequested
                    ? call.Fail(new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client.")))
                    : call.Fail(e);
                call.EndReading();
                throw failure;
            }
        }
    }

    /// <summary>Writes the request stream of a client-streaming or duplex call, one message at a time.</summary>
    sealed class RequestStreamWriter(GrpcCall<TRequest, TResponse> call, PushStreamContent content) : IClientStreamWriter<TRequest>
    {
        readonly SemaphoreSlim writeLock = new(1, 1);
        bool completed;

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(TRequest message) => WriteAsync(message, CancellationToken.None);

        public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (!writeLock.Wait(0)) throw new InvalidOperationException("Can't write the message because the previous write is in progress.");
            try
            {
                if (completed) throw new InvalidOperationException("Can't write the message because the request stream is complete.");
                if (call.status is not null) throw call.StatusException();
                var frame = MessageFraming.Frame(call.method.RequestMarshaller, message, call.channel.MaxSendMessageSize);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.callCts.Token, cancellationToken);
                var stream = await content.GetStreamAsync(linked.Token).ConfigureAwait(false);
                await stream.WriteAsync(frame, linked.Token).ConfigureAwait(false);
                await stream.FlushAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw call.status is { StatusCode: not StatusCode.OK } ? call.StatusException() : call.Fail(e);
            }
            finally
            {
                writeLock.Release();
            }
        }

        public Task CompleteAsync()
        {
            completed = true;
            content.Complete();
            return Task.CompletedTask;
        }
    }
}
