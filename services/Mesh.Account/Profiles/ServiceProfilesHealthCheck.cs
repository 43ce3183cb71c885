using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mesh.Account.Profiles;

/// <summary>Ready once the service and host profiles are loaded: Hello cannot be answered before.</summary>
internal sealed class ServiceProfilesHealthCheck(ServiceCredentials credentials) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(credentials.Current is not null
            ? HealthCheckResult.Healthy("Service and host profiles are loaded.")
            : HealthCheckResult.Unhealthy("Service and host profiles are not loaded yet" + (credentials.Error is { } e ? $": {e}" : ".")));
}
