namespace Mesh.ServiceDefaults.Storage;

public enum MigrationStatus { Pending, Migrated, Failed }

/// <summary>Where the start-up migration of this process stands; read by the readiness check.</summary>
public sealed class MigrationState(string schema)
{
    private volatile MigrationStatus _status = MigrationStatus.Pending;

    public string Schema { get; } = schema;

    public MigrationStatus Status => _status;

    public string? Error { get; private set; }

    internal void MarkMigrated() => _status = MigrationStatus.Migrated;

    internal void MarkFailed(string error)
    {
        Error = error;
        _status = MigrationStatus.Failed;
    }
}
