using Mesh.Grpc.Protocol;

namespace Mesh.Grpc.Server;

/// <summary>Server settings, configured through AddGrpc(options => ...).</summary>
public sealed class GrpcServiceOptions
{
    /// <summary>Larger requests end the call with RESOURCE_EXHAUSTED; null means no limit.</summary>
    public int? MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Larger responses end the call with RESOURCE_EXHAUSTED; null means no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Puts the exception type and message of unhandled handler errors in grpc-message; off outside development.</summary>
    public bool EnableDetailedErrors { get; set; }
}
