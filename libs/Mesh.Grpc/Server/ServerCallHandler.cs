using Grpc.Core;
using Mesh.Grpc.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Grpc.Server;

/// <summary>
/// Runs one call of one method: checks the request against the protocol, runs the handler under the
/// call's deadline and cancellation, and ends the call with grpc-status (in trailers, or trailers-only).
/// </summary>
internal abstract class ServerCallHandler(IMethod method, GrpcServiceOptions options, ILogger logger)
{
    protected IMethod Method { get; } = method;

    protected GrpcServiceOptions Options { get; } = options;

    public async Task HandleCallAsync(HttpContext httpContext)
    {
        if (!GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType))
        {
            // PROTOCOL-HTTP2.md: a server SHOULD answer a non-gRPC content type with 415 so plain HTTP clients see a failure.
            await SendHttpErrorAsync(httpContext, StatusCodes.Status415UnsupportedMediaType,
                new Status(StatusCode.Unimplemented, $"Content-Type '{httpContext.Request.ContentType}' is not supported."));
            return;
        }
        if (!HttpProtocol.IsHttp2(httpContext.Request.Protocol) && !HttpProtocol.IsHttp3(httpContext.Request.Protocol))
        {
            await SendHttpErrorAsync(httpContext, StatusCodes.Status426UpgradeRequired,
                new Status(StatusCode.Internal, $"Request protocol '{httpContext.Request.Protocol}' is not supported; gRPC needs HTTP/2."));
            return;
        }

        using var call = new HttpContextServerCallContext(httpContext, Method, Options, logger);
        var protocolError = call.Initialize();
        if (protocolError is not null)
        {
            await call.EndCallAsync(protocolError.Value);
            return;
        }

        if (call.HasDeadline) call.StartDeadline();
        try
        {
            await InvokeAsync(httpContext, call);
            // A no-op when the deadline has already ended the call.
            await call.EndCallAsync(call.Status);
        }
        catch (Exception e)
        {
            await call.EndCallWithErrorAsync(e);
        }
        finally
        {
            await call.StopDeadlineAsync();
        }
    }

    /// <summary>Reads the request, calls the service method, writes the response messages.</summary>
    protected abstract Task InvokeAsync(HttpContext httpContext, HttpContextServerCallContext call);

    /// <summary>An answer without any message: status and message in the response headers, then end of stream.</summary>
    public static async Task SendTrailersOnlyAsync(HttpContext httpContext, Status status)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = GrpcProtocol.ContentType;
        SetStatusHeaders(response.Headers, status);
        await response.CompleteAsync();
    }

    static async Task SendHttpErrorAsync(HttpContext httpContext, int httpStatus, Status status)
    {
        var response = httpContext.Response;
        response.StatusCode = httpStatus;
        SetStatusHeaders(response.Headers, status);
        await response.CompleteAsync();
    }

    internal static void SetStatusHeaders(IHeaderDictionary headers, Status status)
    {
        headers[GrpcProtocol.StatusHeader] = ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status.Detail.Length > 0) headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(status.Detail);
    }
}

/// <summary>
/// Finds the service for a call: a singleton registration from the application's root provider (no
/// request scope is made for it); another registration from the request's scope; an unregistered
/// service is created per call from the request's scope and disposed after it.
/// </summary>
internal abstract class ServerCallHandler<TService>(IMethod method, GrpcServiceOptions options, ILogger logger, IServiceProvider? singletons)
    : ServerCallHandler(method, options, logger) where TService : class
{
    static readonly ObjectFactory Factory = ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);

    protected override async Task InvokeAsync(HttpContext httpContext, HttpContextServerCallContext call)
    {
        if (singletons is not null)
        {
            await InvokeAsync(singletons.GetRequiredService<TService>(), httpContext, call);
            return;
        }
        var registered = httpContext.RequestServices.GetService<TService>();
        var service = registered ?? (TService)Factory(httpContext.RequestServices, null);
        try
        {
            await InvokeAsync(service, httpContext, call);
        }
        finally
        {
            if (registered is null)
            {
                if (service is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
                else (service as IDisposable)?.Dispose();
            }
        }
    }

    protected abstract Task InvokeAsync(TService service, HttpContext httpContext, HttpContextServerCallContext call);
}

internal sealed class UnaryServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, TRequest, ServerCallContext, Task<TResponse>> invoker, GrpcServiceOptions options, ILogger logger, IServiceProvider? singletons)
    : ServerCallHandler<TService>(method, options, logger, singletons) where TService : class where TRequest : class where TResponse : class
{
    protected override async Task InvokeAsync(TService service, HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(method.RequestMarshaller);
        var response = await invoker(service, request, call)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
        await call.WriteMessageAsync(method.ResponseMarshaller, response, call.CancellationToken, flush: false);
    }
}

internal sealed class ServerStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker, GrpcServiceOptions options, ILogger logger, IServiceProvider? singletons)
    : ServerCallHandler<TService>(method, options, logger, singletons) where TService : class where TRequest : class where TResponse : class
{
    protected override async Task InvokeAsync(TService service, HttpContext httpContext, HttpContextServerCallContext call)
    {
        var request = await call.ReadSingleMessageAsync(method.RequestMarshaller);
        await invoker(service, request, new HttpContextStreamWriter<TResponse>(call, method.ResponseMarshaller), call);
    }
}

internal sealed class ClientStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> invoker, GrpcServiceOptions options, ILogger logger, IServiceProvider? singletons)
    : ServerCallHandler<TService>(method, options, logger, singletons) where TService : class where TRequest : class where TResponse : class
{
    protected override async Task InvokeAsync(TService service, HttpContext httpContext, HttpContextServerCallContext call)
    {
        var response = await invoker(service, new HttpContextStreamReader<TRequest>(call, method.RequestMarshaller), call)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The handler returned no response message."));
        await call.WriteMessageAsync(method.ResponseMarshaller, response, call.CancellationToken, flush: false);
    }
}

internal sealed class DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(
    Method<TRequest, TResponse> method, Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> invoker, GrpcServiceOptions options, ILogger logger, IServiceProvider? singletons)
    : ServerCallHandler<TService>(method, options, logger, singletons) where TService : class where TRequest : class where TResponse : class
{
    protected override Task InvokeAsync(TService service, HttpContext httpContext, HttpContextServerCallContext call) =>
        invoker(service, new HttpContextStreamReader<TRequest>(call, method.RequestMarshaller), new HttpContextStreamWriter<TResponse>(call, method.ResponseMarshaller), call);
}
