using System.Data;
using Mesh.Core.Dare;
using Mesh.Sync.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Mesh.Sync.Storage;

/// <summary>A store row as read: its Merkle frontier covers entries 0..Count-1.</summary>
public sealed record StoreRow(long StoreId, string Name, StoreKind Kind, MerkleFrontier Frontier, byte[]? Apex, string AccountUdf)
{
    /// <summary>Index of the last entry, or null for an empty store.</summary>
    public long? LastIndex => Frontier.Count == 0 ? null : Frontier.Count - 1;
}

public sealed record EntryRow(long Index, byte[] Envelope, DateTime Received);

public sealed record NewEntry(long StoreId, long Index, byte[] Envelope, byte[] PayloadDigest, byte[] ApexDigest, string? UniqueId);

/// <summary>A store a Transact writes: the entry count its checks assumed and the frontier after its entries.</summary>
public sealed record StoreWrite(long StoreId, long ExpectedCount, MerkleFrontier Frontier);

/// <summary>The account profile CreateStores recorded: the ProfileUser envelope (JSON) and the SHA-512 of its payload.</summary>
public sealed record AccountProfileRow(byte[] Envelope, byte[] Digest);

public sealed record ApexKeyRow(string KeyIdentifier, string Algorithm, byte[] PublicKey);

/// <summary>CreateStores for an address whose stores belong to another account.</summary>
public sealed class StoresOfAnotherAccountException(string message) : Exception(message);

/// <summary>Every SQL statement of the sync service; parameters are always bound.</summary>
public sealed class StoreRepository(NpgsqlDataSource dataSource)
{
    /// <summary>Opens a connection on which every statement is its own transaction.</summary>
    public async Task<StoreSession> ConnectAsync(CancellationToken cancellationToken) =>
        new(await dataSource.OpenConnectionAsync(cancellationToken), null);

    /// <summary>Opens the one connection and transaction of a request.</summary>
    public async Task<StoreSession> BeginAsync(IsolationLevel isolation, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken);
            return new StoreSession(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the stores the account lacks and records its apex keys; returns how many stores were
    /// created. Nothing is written when stores of the address exist for another account UDF.
    /// </summary>
    public async Task<int> CreateStoresAsync(string account, string accountUdf, IReadOnlyList<(string Name, StoreKind Kind)> stores,
        IReadOnlyList<ApexKeyRow> apexKeys, AccountProfileRow? profile, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var created = 0;
        var empty = MerkleFrontier.Empty.ToBytes();
        foreach (var (name, kind) in stores)
        {
            created += await session.ExecuteAsync("""
                INSERT INTO sync.store (account, name, kind, frontier, account_udf) VALUES (@account, @name, @kind, @frontier, @udf)
                ON CONFLICT (account, name) DO NOTHING
                """, cancellationToken, ("account", account), ("name", name), ("kind", KindText(kind)), ("frontier", empty), ("udf", accountUdf));
        }
        var others = await session.ScalarAsync<long>("SELECT count(*) FROM sync.store WHERE account = @account AND account_udf <> @udf",
            cancellationToken, ("account", account), ("udf", accountUdf));
        if (others > 0)
            throw new StoresOfAnotherAccountException($"the stores of '{account}' exist for another account UDF than {accountUdf}");
        foreach (var key in apexKeys)
        {
            await session.ExecuteAsync("""
                INSERT INTO sync.apex_key (account, kid, algorithm, public_key) VALUES (@account, @kid, @algorithm, @key)
                ON CONFLICT (account, kid) DO NOTHING
                """, cancellationToken, ("account", account), ("kid", key.KeyIdentifier), ("algorithm", key.Algorithm), ("key", key.PublicKey));
        }
        if (profile is not null)
        {
            await session.ExecuteAsync("""
                INSERT INTO sync.account_profile (account, account_udf, envelope, digest) VALUES (@account, @udf, @envelope, @digest)
                ON CONFLICT (account) DO NOTHING
                """, cancellationToken, ("account", account), ("udf", accountUdf), ("envelope", profile.Envelope), ("digest", profile.Digest));
        }
        await session.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Removes the account's stores (their entries go with them), only those of <paramref name="accountUdf"/>
    /// when it is given, and the apex keys once no store is left; returns how many stores were removed.
    /// </summary>
    public async Task<int> DeleteStoresAsync(string account, string? accountUdf, CancellationToken cancellationToken)
    {
        await using var session = await BeginAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var deleted = await session.ExecuteAsync("DELETE FROM sync.store WHERE account = @account AND (@udf = '' OR account_udf = @udf)",
            cancellationToken, ("account", account), ("udf", accountUdf ?? ""));
        await session.ExecuteAsync("DELETE FROM sync.apex_key WHERE account = @account AND NOT EXISTS (SELECT 1 FROM sync.store WHERE account = @account)",
            cancellationToken, ("account", account));
        await session.ExecuteAsync("DELETE FROM sync.account_profile WHERE account = @account AND NOT EXISTS (SELECT 1 FROM sync.store WHERE account = @account)",
            cancellationToken, ("account", account));
        await session.CommitAsync(cancellationToken);
        return deleted;
    }

    internal static string KindText(StoreKind kind) => kind == StoreKind.Spool ? "spool" : "catalog";
}

/// <summary>
/// One connection and, when opened with <see cref="StoreRepository.BeginAsync"/>, one transaction;
/// disposing without <see cref="CommitAsync"/> rolls back.
/// </summary>
public sealed class StoreSession(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IAsyncDisposable
{
    /// <summary>The account's stores, in store_id order (the order they were created).</summary>
    public async Task<List<StoreRow>> ReadStoresAsync(string account, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT store_id, name, kind, frontier, apex, account_udf FROM sync.store WHERE account = @account ORDER BY store_id", connection, transaction);
        command.Parameters.AddWithValue("account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stores = new List<StoreRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stores.Add(new StoreRow(reader.GetInt64(0), reader.GetString(1),
                reader.GetString(2) == "spool" ? StoreKind.Spool : StoreKind.Catalog,
                MerkleFrontier.FromBytes(reader.GetFieldValue<byte[]>(3)),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4), reader.GetString(5)));
        }
        return stores;
    }

    /// <summary>Entries of a store with index in [first, last] and received in [notBefore, before), in index order.</summary>
    public async Task<List<EntryRow>> ReadEntriesAsync(long storeId, long first, long last, DateTime? notBefore, DateTime? before,
        int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT entry_index, envelope, received FROM sync.entry
            WHERE store_id = @store AND entry_index BETWEEN @first AND @last
              AND (@not_before::timestamptz IS NULL OR received >= @not_before)
              AND (@before::timestamptz IS NULL OR received < @before)
            ORDER BY entry_index
            LIMIT @limit
            """, connection, transaction);
        command.Parameters.AddWithValue("store", storeId);
        command.Parameters.AddWithValue("first", first);
        command.Parameters.AddWithValue("last", last);
        command.Parameters.Add(new NpgsqlParameter("not_before", NpgsqlDbType.TimestampTz) { Value = (object?)notBefore ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.TimestampTz) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<EntryRow>();
        while (await reader.ReadAsync(cancellationToken))
            entries.Add(new EntryRow(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetDateTime(2)));
        return entries;
    }

    public async Task<List<ApexKeyRow>> ReadApexKeysAsync(string account, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT kid, algorithm, public_key FROM sync.apex_key WHERE account = @account",
            connection, transaction);
        command.Parameters.AddWithValue("account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApexKeyRow>();
        while (await reader.ReadAsync(cancellationToken))
            keys.Add(new ApexKeyRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2)));
        return keys;
    }

    /// <summary>
    /// Appends the entries and moves each store's frontier in one round trip and one implicit
    /// transaction (a batch with no transaction of its own), if every store is still at the count the
    /// caller's checks assumed and the Access store at <paramref name="access"/>'s count; returns
    /// false, writing nothing, otherwise. The entry key (store_id, entry_index) decides between
    /// writers: a store that moved already holds the first index written, and the insert fails.
    /// </summary>
    public async Task<bool> AppendIfCurrentAsync(IReadOnlyList<StoreWrite> stores, (long StoreId, long Count)? access,
        IReadOnlyList<NewEntry> entries, DateTime received, CancellationToken cancellationToken)
    {
        if (transaction is not null) throw new InvalidOperationException("AppendIfCurrentAsync makes its own transaction");
        await using var batch = new NpgsqlBatch(connection);
        // Entries go in (store_id, entry_index) order, so two writers wait on each other's keys in
        // one order and never deadlock.
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO sync.entry (store_id, entry_index, envelope, payload_digest, apex_digest, received, unique_id)
            SELECT e.store_id, e.entry_index, e.envelope, e.payload_digest, e.apex_digest, @received, e.unique_id
            FROM unnest(@entry_stores, @indexes, @envelopes, @payload_digests, @apex_digests, @unique_ids)
                AS e(store_id, entry_index, envelope, payload_digest, apex_digest, unique_id)
            WHERE @access_store::bigint IS NULL OR EXISTS (
                SELECT 1 FROM sync.store WHERE store_id = @access_store AND entry_count = @access_count)
            ORDER BY e.store_id, e.entry_index
            """);
        insert.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.TimestampTz) { Value = received });
        insert.Parameters.AddWithValue("entry_stores", entries.Select(e => e.StoreId).ToArray());
        insert.Parameters.AddWithValue("indexes", entries.Select(e => e.Index).ToArray());
        insert.Parameters.AddWithValue("envelopes", entries.Select(e => e.Envelope).ToArray());
        insert.Parameters.AddWithValue("payload_digests", entries.Select(e => e.PayloadDigest).ToArray());
        insert.Parameters.AddWithValue("apex_digests", entries.Select(e => e.ApexDigest).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("unique_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = entries.Select(e => e.UniqueId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("access_store", NpgsqlDbType.Bigint) { Value = (object?)access?.StoreId ?? DBNull.Value });
        insert.Parameters.Add(new NpgsqlParameter("access_count", NpgsqlDbType.Bigint) { Value = (object?)access?.Count ?? DBNull.Value });
        batch.BatchCommands.Add(insert);
        // Only stores whose first new entry this transaction holds move (none when the insert wrote nothing).
        var update = new NpgsqlBatchCommand("""
            UPDATE sync.store s SET entry_count = t.entry_count, frontier = t.frontier, apex = t.apex
            FROM unnest(@store_ids, @expected, @counts, @frontiers, @apexes) AS t(store_id, expected, entry_count, frontier, apex)
            WHERE s.store_id = t.store_id AND s.entry_count = t.expected
              AND (t.entry_count = t.expected OR EXISTS (SELECT 1 FROM sync.entry e WHERE e.store_id = t.store_id AND e.entry_index = t.expected))
            """);
        update.Parameters.AddWithValue("store_ids", stores.Select(s => s.StoreId).ToArray());
        update.Parameters.AddWithValue("expected", stores.Select(s => s.ExpectedCount).ToArray());
        update.Parameters.AddWithValue("counts", stores.Select(s => s.Frontier.Count).ToArray());
        update.Parameters.AddWithValue("frontiers", stores.Select(s => s.Frontier.ToBytes()).ToArray());
        update.Parameters.Add(new NpgsqlParameter("apexes", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
            { Value = stores.Select(s => s.Frontier.Count == 0 ? null : s.Frontier.Apex).ToArray() });
        batch.BatchCommands.Add(update);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation
                                              or PostgresErrorCodes.DeadlockDetected)
        {
            // Another writer holds an index written here, or the store is gone: the batch rolled back.
            return false;
        }
        return insert.RecordsAffected == entries.Count;
    }

    internal async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The profile recorded for the account by CreateStores, if any.</summary>
    public async Task<AccountProfileRow?> ReadAccountProfileAsync(string account, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT envelope, digest FROM sync.account_profile WHERE account = @account", connection, transaction);
        command.Parameters.AddWithValue("account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new AccountProfileRow(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)) : null;
    }

    /// <summary>The last entry of a store whose header names <paramref name="uniqueId"/>, if any.</summary>
    public async Task<byte[]?> ReadLastEntryAsync(long storeId, string uniqueId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT envelope FROM sync.entry WHERE store_id = @store AND unique_id = @unique_id ORDER BY entry_index DESC LIMIT 1
            """, connection, transaction);
        command.Parameters.AddWithValue("store", storeId);
        command.Parameters.AddWithValue("unique_id", uniqueId);
        return (byte[]?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) =>
        (transaction ?? throw new InvalidOperationException("the session was opened without a transaction")).CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (transaction is not null) await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
