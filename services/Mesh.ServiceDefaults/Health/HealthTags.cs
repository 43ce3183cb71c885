namespace Mesh.ServiceDefaults.Health;

/// <summary>Tags that decide which health checks answer /health/live and /health/ready.</summary>
public static class HealthTags
{
    /// <summary>The process is running; a failing liveness probe means restart it.</summary>
    public const string Live = "live";

    /// <summary>The process can serve requests: its database is reachable and migrated, its bus is connected.</summary>
    public const string Ready = "ready";
}
