namespace Mesh.Sync.Domain;

/// <summary>Who the gateway authenticated, as the domain sees it (mapped from the wire Principal).</summary>
public sealed record SyncCaller(string AccountAddress, string AccountUdf, string DeviceUdf);
