using System.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Mesh.Grpc.Server;

/// <summary>Describes one mapped gRPC method on its endpoint.</summary>
public sealed record GrpcMethodMetadata(Type ServiceType, IMethod Method);

/// <summary>
/// Receives the method list from the generated BindService and maps one endpoint per method.
/// Handlers are open-instance delegates over TService's methods, so the service can be created per call.
/// </summary>
internal sealed class ServiceMethodBinder<TService>(IEndpointRouteBuilder endpoints, GrpcServiceOptions options, ILogger logger, GrpcMarkerService marker)
    : ServiceBinderBase where TService : class
{
    // The root provider when TService is a singleton: its calls then need no request scope.
    readonly IServiceProvider? singletons = marker.IsSingleton(typeof(TService)) ? endpoints.ServiceProvider : null;

    public List<IEndpointConventionBuilder> Endpoints { get; } = [];

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var invoker = CreateInvoker<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>(method, typeof(TRequest), typeof(ServerCallContext));
        Map(method, new UnaryServerCallHandler<TService, TRequest, TResponse>(method, invoker, options, logger, singletons));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoker = CreateInvoker<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        Map(method, new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options, logger, singletons));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoker = CreateInvoker<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        Map(method, new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options, logger, singletons));
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var invoker = CreateInvoker<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>(method, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        Map(method, new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(method, invoker, options, logger, singletons));
    }

    void Map(IMethod method, ServerCallHandler handler)
    {
        marker.AddService(method.ServiceName);
        var builder = endpoints.MapPost(method.FullName, handler.HandleCallAsync)
            .WithDisplayName($"gRPC - {method.FullName}")
            .WithMetadata(new GrpcMethodMetadata(typeof(TService), method));
        Endpoints.Add(builder);
    }

    /// <summary>The generated base names each C# method after the proto method; an override on TService is found the same way.</summary>
    static TDelegate CreateInvoker<TDelegate>(IMethod method, params Type[] parameterTypes) where TDelegate : Delegate
    {
        var methodInfo = typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance, parameterTypes)
            ?? throw new InvalidOperationException($"{typeof(TService)} has no public method '{method.Name}' for {method.FullName}.");
        return methodInfo.CreateDelegate<TDelegate>();
    }
}
