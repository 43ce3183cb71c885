namespace Mesh.Grpc.Server;

/// <summary>Proves AddGrpc was called and remembers which services are mapped, for the UNIMPLEMENTED answers.</summary>
internal sealed class GrpcMarkerService
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
}
