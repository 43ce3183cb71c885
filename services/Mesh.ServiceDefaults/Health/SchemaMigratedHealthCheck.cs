using Mesh.ServiceDefaults.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mesh.ServiceDefaults.Health;

/// <summary>Ready only once the service's migrations have been applied.</summary>
internal sealed class SchemaMigratedHealthCheck(MigrationState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Status switch
        {
            MigrationStatus.Migrated => HealthCheckResult.Healthy($"Schema '{state.Schema}' is migrated."),
            MigrationStatus.Failed => HealthCheckResult.Unhealthy($"Schema '{state.Schema}' cannot be migrated: {state.Error}"),
            _ => HealthCheckResult.Unhealthy($"Schema '{state.Schema}' is not migrated yet."),
        });
}
