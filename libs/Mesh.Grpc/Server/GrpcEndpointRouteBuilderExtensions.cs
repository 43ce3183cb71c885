using System.Reflection;
using Grpc.Core;
using Mesh.Grpc.Protocol;
using Mesh.Grpc.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Endpoint mapping of gRPC services, named as in Grpc.AspNetCore.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of a service derived from a generated service base to POST /package.Service/Method.
    /// A service registered as a singleton serves every call from the root provider (no request scope);
    /// one registered otherwise is resolved per call from the request's scope; an unregistered one is
    /// created per call (and disposed after it).
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints) where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var marker = endpoints.ServiceProvider.GetService<GrpcMarkerService>()
            ?? throw new InvalidOperationException("Unable to find the gRPC services. Call 'services.AddGrpc()' before 'MapGrpcService'.");
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcServiceOptions>>().Value;
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Mesh.Grpc.Server");

        var bindMethod = FindBindMethod(typeof(TService));
        var binder = new ServiceMethodBinder<TService>(endpoints, options, logger, marker);
        bindMethod.Invoke(null, [binder, null]);
        if (binder.Endpoints.Count == 0) throw new InvalidOperationException($"{typeof(TService)} has no gRPC methods to map.");

        if (!marker.UnimplementedEndpointMapped)
        {
            marker.UnimplementedEndpointMapped = true;
            MapUnimplemented(endpoints, marker);
        }
        return new GrpcServiceEndpointConventionBuilder(binder.Endpoints);
    }

    /// <summary>The generated static BindService(ServiceBinderBase, TBase) named by [BindServiceMethod] on the service base.</summary>
    static MethodInfo FindBindMethod(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            var attribute = type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false);
            if (attribute is null) continue;
            var method = attribute.BindType
                .GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                .FirstOrDefault(m => m.Name == attribute.BindMethodName
                    && m.GetParameters() is [var first, var second]
                    && first.ParameterType == typeof(ServiceBinderBase)
                    && second.ParameterType.IsAssignableFrom(serviceType));
            return method ?? throw new InvalidOperationException($"{attribute.BindType}.{attribute.BindMethodName}(ServiceBinderBase, {type.Name}) was not found.");
        }
        throw new InvalidOperationException($"{serviceType} does not derive from a generated gRPC service base ([BindServiceMethod] is missing).");
    }

    /// <summary>Answers gRPC requests for services or methods nobody mapped with UNIMPLEMENTED, as gRPC servers do.</summary>
    static void MapUnimplemented(IEndpointRouteBuilder endpoints, GrpcMarkerService marker)
    {
        var pattern = RoutePatternFactory.Parse(
            "{unimplementedService}/{unimplementedMethod}",
            defaults: null,
            parameterPolicies: new RouteValueDictionary { ["unimplementedMethod"] = new GrpcContentTypeConstraint() });
        endpoints.Map(pattern, context =>
            {
                var service = (string)context.Request.RouteValues["unimplementedService"]!;
                var message = marker.IsKnownService(service) ? "Method is unimplemented." : "Service is unimplemented.";
                return ServerCallHandler.SendTrailersOnlyAsync(context, new Status(StatusCode.Unimplemented, message));
            })
            .WithMetadata(new HttpMethodMetadata(["POST"]))
            .WithDisplayName("gRPC - unimplemented");
    }

    sealed class GrpcContentTypeConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is not null && GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType);
    }

    sealed class GrpcServiceEndpointConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders) builder.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders) builder.Finally(finallyConvention);
        }
    }
}
