using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Mesh.Gateway.Authentication;

/// <summary>
/// gateway.seen_request_digests (ADR 0005): the first sight of (kid, EnvelopeId) inserts a row keyed by
/// the pair's digest (<see cref="Digest"/>); a second sight, on this replica or another, finds it and
/// is a replay. The SQL of the table lives here. Requests that arrive while an insert is on its way to
/// PostgreSQL go together in the next one (one statement and one round trip for all of them); a
/// request that finds none on its way is sent at once.
/// </summary>
public sealed class ReplayTable(NpgsqlDataSource dataSource, AuthenticationSettings settings)
{
    /// <summary>Most requests one insert carries; more wait for the next.</summary>
    public const int MaxBatch = 256;

    sealed record Sighting(byte[] Digest, TaskCompletionSource<bool> FirstSight);

    readonly Lock gate = new();
    List<Sighting> waiting = [];
    bool inserting;

    /// <summary>True the first time the pair is seen, false for a replay.</summary>
    public Task<bool> FirstSightAsync(string kid, string envelopeId, CancellationToken cancellationToken)
    {
        // Completed off the inserting loop, so one request's work does not hold up the next one's answer.
        var sighting = new Sighting(Digest(kid, envelopeId), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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

    /// <summary>
    /// SHA-256 of the kid's UTF-8 length (4 bytes, big endian), the kid and the EnvelopeId (UTF-8): the
    /// row key. A Ticket-mode kid is the sealed ticket (about 600 characters); the digest keeps rows small.
    /// Migration 0002 computes the same digest in SQL.
    /// </summary>
    public static byte[] Digest(string kid, string envelopeId)
    {
        var kidLength = Encoding.UTF8.GetByteCount(kid);
        var length = 4 + kidLength + Encoding.UTF8.GetByteCount(envelopeId);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(buffer, kidLength);
            Encoding.UTF8.GetBytes(kid, buffer.AsSpan(4));
            Encoding.UTF8.GetBytes(envelopeId, buffer.AsSpan(4 + kidLength));
            return SHA256.HashData(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
                foreach (var sighting in batch) sighting.FirstSight.TrySetResult(inserted.Remove(Convert.ToHexString(sighting.Digest)));
            }
            catch (Exception e)
            {
                foreach (var sighting in batch) sighting.FirstSight.TrySetException(e);
            }
        }
    }

    /// <summary>The digests inserted (hex), those not seen before.</summary>
    async Task<HashSet<string>> InsertAsync(List<Sighting> batch)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO gateway.seen_request_digests (digest, expires_at)
            SELECT digest, now() + @keep FROM unnest(@digests) AS s(digest)
            ORDER BY digest
            ON CONFLICT DO NOTHING
            RETURNING digest
            """);
        command.Parameters.AddWithValue("digests", batch.Select(s => s.Digest).ToArray());
        command.Parameters.AddWithValue("keep", 2 * settings.Window);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) inserted.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
        return inserted;
    }

    /// <summary>Deletes the rows whose requests are now outside any window; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM gateway.seen_request_digests WHERE expires_at < now()");
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
