using Microsoft.Extensions.DependencyInjection;

namespace Mesh.Grpc.Server;

/// <summary>
/// Proves AddGrpc was called, remembers which services are mapped (for the UNIMPLEMENTED answers), and
/// knows how each service type is registered (the application's service collection, kept by AddGrpc).
/// </summary>
internal sealed class GrpcMarkerService(IServiceCollection registrations)
{
    readonly HashSet<string> services = new(StringComparer.Ordinal);
    readonly Lock gate = new();

    public bool UnimplementedEndpointMapped { get; set; }

    public void AddService(string serviceName)
    {
        lock (gate) services.Add(serviceName);
    }

    public bool IsKnownService(string serviceName)
    {
        lock (gate) return services.Contains(serviceName);
    }

    /// <summary>Whether the service type is registered as a singleton (the last registration counts, as in resolution).</summary>
    public bool IsSingleton(Type serviceType) =>
        registrations.LastOrDefault(d => d.ServiceType == serviceType && !d.IsKeyedService)?.Lifetime == ServiceLifetime.Singleton;
}
