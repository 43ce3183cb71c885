using Npgsql;

namespace Mesh.Gateway.Authentication;

/// <summary>
/// gateway.seen_requests (ADR 0005): the first sight of (kid, EnvelopeId) inserts a row; a second
/// sight, on this replica or another, finds it and is a replay. The SQL of the table lives here.
/// </summary>
public sealed class ReplayTable(NpgsqlDataSource dataSource, AuthenticationSettings settings)
{
    /// <summary>True the first time the pair is seen, false for a replay.</summary>
    public async Task<bool> FirstSightAsync(string kid, string envelopeId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO gateway.seen_requests (kid, envelope_id, expires_at) VALUES (@kid, @id, now() + @keep) ON CONFLICT DO NOTHING");
        command.Parameters.AddWithValue("kid", kid);
        command.Parameters.AddWithValue("id", envelopeId);
        command.Parameters.AddWithValue("keep", 2 * settings.Window);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes the rows whose requests are now outside any window; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM gateway.seen_requests WHERE expires_at < now()");
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Prunes the replay table once per window.</summary>
public sealed class ReplayTablePruner(ReplayTable table, AuthenticationSettings settings, ILogger<ReplayTablePruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Window);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var removed = await table.PruneAsync(stoppingToken);
                    if (removed > 0) logger.LogDebug("Pruned {Count} expired replay rows", removed);
                }
                catch (NpgsqlException e)
                {
                    logger.LogWarning("Replay table not pruned: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
