using Mesh.Grpc.Server;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the gRPC server, named as in Grpc.AspNetCore so callers swap back by reference only.</summary>
public static class GrpcServiceCollectionExtensions
{
    public static IServiceCollection AddGrpc(this IServiceCollection services, Action<GrpcServiceOptions>? configure = null)
    {
        services.AddRouting();
        services.AddOptions<GrpcServiceOptions>();
        if (configure is not null) services.Configure(configure);
        services.AddSingleton(new GrpcMarkerService(services));
        return services;
    }
}
