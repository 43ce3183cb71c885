using Npgsql;

namespace Mesh.Gateway.Authentication;

/// <summary>
/// gateway.seen_requests (ADR 0005): the first sight of (kid, EnvelopeId) inserts a row; a second
/// sight, on this replica or another, finds it and is a replay. The SQL of the table lives here.
/// Requests that arrive while an insert is on its way to PostgreSQL go together in the next one (one
/// statement and one round trip for all of them); a request that finds none on its way is sent at once.
/// </summary>
public sealed class ReplayTable(NpgsqlDataSource dataSource, AuthenticationSettings settings)
{
    /// <summary>Most requests one insert carries; more wait for the next.</summary>
    public const int MaxBatch = 256;

    sealed record Sighting(string Kid, string EnvelopeId, TaskCompletionSource<bool> FirstSight);

    readonly Lock gate = new();
    List<Sighting> waiting = [];
    bool inserting;

    /// <summary>True the first time the pair is seen, false for a replay.</summary>
    public Task<bool> FirstSightAsync(string kid, string envelopeId, CancellationToken cancellationToken)
    {
        // Completed off the inserting loop, so one request's work does not hold up the next one's answer.
        var sighting = new Sighting(kid, envelopeId, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (gate)
        {
            waiting.Add(sighting);
            start = !inserting;
            inserting = true;
        }
        if (start) _ = InsertWaitingAsync();
        // A request given up on is still recorded: it was seen.
        return sighting.FirstSight.Task.WaitAsync(cancellationToken);
    }

    async Task InsertWaitingAsync()
    {
        while (true)
        {
            List<Sighting> batch;
            lock (gate)
            {
                if (waiting.Count == 0)
                {
                    inserting = false;
                    return;
                }
                if (waiting.Count <= MaxBatch)
                {
                    batch = waiting;
                    waiting = [];
                }
                else
                {
                    batch = waiting.GetRange(0, MaxBatch);
                    waiting.RemoveRange(0, MaxBatch);
                }
            }
            try
            {
                var inserted = await InsertAsync(batch);
                // The same pair twice in one batch (a replay sent at the same moment): the first one is the sight.
                foreach (var sighting in batch) sighting.FirstSight.TrySetResult(inserted.Remove((sighting.Kid, sighting.EnvelopeId)));
            }
            catch (Exception e)
            {
                foreach (var sighting in batch) sighting.FirstSight.TrySetException(e);
            }
        }
    }

    async Task<HashSet<(string, string)>> InsertAsync(List<Sighting> batch)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.seen_requests (kid, envelope_id, expires_at)
            SELECT kid, envelope_id, now() + @keep FROM unnest(@kids, @ids) AS s(kid, envelope_id)
            ON CONFLICT DO NOTHING
            RETURNING kid, envelope_id
            """);
        command.Parameters.AddWithValue("kids", batch.Select(s => s.Kid).ToArray());
        command.Parameters.AddWithValue("ids", batch.Select(s => s.EnvelopeId).ToArray());
        command.Parameters.AddWithValue("keep", 2 * settings.Window);
        var inserted = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) inserted.Add((reader.GetString(0), reader.GetString(1)));
        return inserted;
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
