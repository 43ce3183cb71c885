using Mesh.Account.Storage;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Security;
using Mesh.ServiceDefaults.Storage;
using Npgsql;

namespace Mesh.Account.Profiles;

/// <summary>
/// After the schema is migrated, loads the service and host profiles, creating them on the first
/// start. Runs in the background so the process stays live (not ready) while PostgreSQL is away.
/// </summary>
internal sealed class ServiceProfileInitializer(
    ServiceProfileStore store, MigrationState migration, ServiceCredentials credentials, IConfiguration configuration,
    ILogger<ServiceProfileInitializer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var kek = KeyEncryptionKey.FromConfiguration(configuration);
        var algorithm = configuration[ConfigKeys.HostSignatureAlgorithm] is { Length: > 0 } configured ? configured : "Ed25519";
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (migration.Status == MigrationStatus.Migrated)
            {
                try
                {
                    var (service, host, created) = await store.EnsureAsync(kek, algorithm, stoppingToken);
                    credentials.Set(service, host);
                    logger.LogInformation("{Action} service profile {ServiceUdf} and host profile {HostUdf}",
                        created ? "Created" : "Loaded", service.Udf, host.Udf);
                    return;
                }
                catch (NpgsqlException ex) when (!stoppingToken.IsCancellationRequested)
                {
                    credentials.Fail(ex.Message);
                    logger.LogWarning("Service profiles not loaded yet, retrying in {Delay}: {Error}", delay, ex.Message);
                }
            }
            else if (migration.Status == MigrationStatus.Failed)
            {
                credentials.Fail("schema not migrated");
                return;
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }
}
