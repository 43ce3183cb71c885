namespace Mesh.Gateway.Wire;

/// <summary>A request the gateway refuses before any service sees it; <see cref="Status"/> is the Mesh (and HTTP) status.</summary>
public sealed class MeshWireException(int status, string message, Exception? inner = null) : Exception(message, inner)
{
    public int Status { get; } = status;
}
