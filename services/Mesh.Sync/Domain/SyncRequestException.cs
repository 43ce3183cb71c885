namespace Mesh.Sync.Domain;

/// <summary>A request the service answers with an error Status and a description naming the problem.</summary>
public sealed class SyncRequestException(long status, string description) : Exception(description)
{
    public long Status { get; } = status;
}
