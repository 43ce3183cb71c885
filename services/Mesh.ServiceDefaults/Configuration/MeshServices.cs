namespace Mesh.ServiceDefaults.Configuration;

/// <summary>The deployables of an MSP and their default ports, in one place.</summary>
public static class MeshServices
{
    public static readonly MeshService Account = new("account", UsesBus: false, DefaultGrpcPort: 7101, DefaultHttpPort: 7201);

    public static readonly MeshService Sync = new("sync", UsesBus: false, DefaultGrpcPort: 7102, DefaultHttpPort: 7202);

    /// <summary>Relays messages to other providers and delivers inbound ones through the bus.</summary>
    public static readonly MeshService Messaging = new("messaging", UsesBus: true, DefaultGrpcPort: 7103, DefaultHttpPort: 7203);

    public static readonly MeshService Publication = new("publication", UsesBus: false, DefaultGrpcPort: 7104, DefaultHttpPort: 7204);

    public static readonly MeshService Threshold = new("threshold", UsesBus: false, DefaultGrpcPort: 7105, DefaultHttpPort: 7205);

    public static readonly IReadOnlyList<MeshService> All = [Account, Sync, Messaging, Publication, Threshold];

    /// <summary>Name of the gateway deployable (replicas are named gateway-1, gateway-2, ...).</summary>
    public const string Gateway = "gateway";

    public const int GatewayDefaultHttpsPort = 7443;
}
