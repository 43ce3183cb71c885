using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mesh.ServiceDefaults.Storage;

/// <summary>
/// Migrates the schema in the background at start-up, retrying while PostgreSQL is unreachable,
/// so the process stays live (and not ready) until its database comes up.
/// </summary>
internal sealed class MigrationHostedService(
    NpgsqlDataSource dataSource, MigrationState state, IReadOnlyList<Migration> migrations, ILogger<MigrationHostedService> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var runner = new MigrationRunner(dataSource, state.Schema, migrations, logger);
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.ApplyAsync(stoppingToken);
                state.MarkMigrated();
                return;
            }
            catch (Exception ex) when (ex is MigrationException || (ex is NpgsqlException { IsTransient: false } && !IsDatabaseMissing(ex)))
            {
                // A changed migration, bad SQL or refused credentials do not heal by retrying: stay not-ready and say why.
                logger.LogCritical(ex, "Schema {Schema} cannot be migrated", state.Schema);
                state.MarkFailed(ex.Message);
                return;
            }
            catch (NpgsqlException ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Schema {Schema} not migrated yet, retrying in {Delay}: {Error}", state.Schema, delay, ex.Message);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    // The database may be provisioned after the service starts; waiting for it is the useful answer.
    private static bool IsDatabaseMissing(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName };
}
