using Grpc.Core;

namespace Mesh.Grpc.Client;

/// <summary>Starts each call as one HTTP/2 request on the channel's HttpClient.</summary>
internal sealed class HttpClientCallInvoker(GrpcChannel channel) : CallInvoker
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        using var call = AsyncUnaryCall(method, host, options, request);
        return call.ResponseAsync.GetAwaiter().GetResult();
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var response = call.StartUnary(request);
        return new AsyncUnaryCall<TResponse>(response,
            static c => ((GrpcCall<TRequest, TResponse>)c).ResponseHeadersAsync,
            static c => ((GrpcCall<TRequest, TResponse>)c).GetStatus(),
            static c => ((GrpcCall<TRequest, TResponse>)c).GetTrailers(),
            static c => ((GrpcCall<TRequest, TResponse>)c).Dispose(), call);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var reader = call.StartServerStreaming(request);
        return new AsyncServerStreamingCall<TResponse>(reader, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var (writer, response) = call.StartClientStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(writer, response, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        var call = new GrpcCall<TRequest, TResponse>(channel, method, options);
        var (writer, reader) = call.StartDuplexStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(writer, reader, call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }
}
