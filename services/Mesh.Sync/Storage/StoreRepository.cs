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

public sealed record NewEntry(long StoreId, long Index, byte[] Envelope, byte[] PayloadDigest, byte[] ApexDigest, DateTime Received, string? UniqueId);

/// <summary>The account profile CreateStores recorded: the ProfileUser envelope (JSON) and the SHA-512 of its payload.</summary>
public sealed record AccountProfileRow(byte[] Envelope, byte[] Digest);

public sealed record ApexKeyRow(string KeyIdentifier, string Algorithm, byte[] PublicKey);

/// <summary>CreateStores for an address whose stores belong to another account.</summary>
public sealed class StoresOfAnotherAccountException(string message) : Exception(message);

/// <summary>Every SQL statement of the sync service; parameters are always bound.</summary>
public sealed class StoreRepository(NpgsqlDataSource dataSource)
{
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

/// <summary>One connection and one transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
public sealed class StoreSession(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    const string StoreColumns = "store_id, name, kind, frontier, apex, account_udf";

    /// <summary>The account's stores, in store_id order (the order they were created).</summary>
    public async Task<List<StoreRow>> ReadStoresAsync(string account, CancellationToken cancellationToken) =>
        (await ReadStoresAsync($"SELECT {StoreColumns} FROM sync.store WHERE account = @account ORDER BY store_id", account, null, cancellationToken))
            .Select(r => r.Row).ToList();

    /// <summary>
    /// All the account's stores in store_id order, the named ones locked for this transaction (in one
    /// round trip). The named rows are locked in store_id order, the same order in every transaction,
    /// so two requests locking overlapping sets wait for each other instead of deadlocking, and are
    /// read as latest committed once locked; the others as of the statement's snapshot.
    /// </summary>
    public async Task<(List<StoreRow> All, List<StoreRow> Locked)> LockStoresAsync(string account, IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        var rows = await ReadStoresAsync($"""
            WITH locked AS (
                SELECT {StoreColumns} FROM sync.store WHERE account = @account AND name = ANY(@names) ORDER BY store_id FOR UPDATE)
            SELECT {StoreColumns}, true FROM locked
            UNION ALL
            SELECT {StoreColumns}, false FROM sync.store WHERE account = @account AND NOT (name = ANY(@names))
            ORDER BY 1
            """, account, names.ToArray(), cancellationToken);
        return (rows.Select(r => r.Row).ToList(), rows.Where(r => r.Locked).Select(r => r.Row).ToList());
    }

    async Task<List<(StoreRow Row, bool Locked)>> ReadStoresAsync(string sql, string account, string[]? names, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("account", account);
        if (names is not null) command.Parameters.AddWithValue("names", names);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stores = new List<(StoreRow, bool)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stores.Add((new StoreRow(reader.GetInt64(0), reader.GetString(1),
                reader.GetString(2) == "spool" ? StoreKind.Spool : StoreKind.Catalog,
                MerkleFrontier.FromBytes(reader.GetFieldValue<byte[]>(3)),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4), reader.GetString(5)),
                reader.FieldCount > 6 && reader.GetBoolean(6)));
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

    /// <summary>Appends the entries and moves each store's frontier to the one given, in this transaction.</summary>
    public async Task AppendAsync(IReadOnlyList<NewEntry> entries, IReadOnlyDictionary<long, MerkleFrontier> frontiers,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var entry in entries)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO sync.entry (store_id, entry_index, envelope, payload_digest, apex_digest, received, unique_id)
                VALUES (@store, @index, @envelope, @payload_digest, @apex_digest, @received, @unique_id)
                """);
            command.Parameters.AddWithValue("store", entry.StoreId);
            command.Parameters.AddWithValue("index", entry.Index);
            command.Parameters.AddWithValue("envelope", entry.Envelope);
            command.Parameters.AddWithValue("payload_digest", entry.PayloadDigest);
            command.Parameters.AddWithValue("apex_digest", entry.ApexDigest);
            command.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.TimestampTz) { Value = entry.Received });
            command.Parameters.Add(new NpgsqlParameter("unique_id", NpgsqlDbType.Text) { Value = (object?)entry.UniqueId ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        foreach (var (storeId, frontier) in frontiers)
        {
            var command = new NpgsqlBatchCommand(
                "UPDATE sync.store SET entry_count = @count, frontier = @frontier, apex = @apex WHERE store_id = @store");
            command.Parameters.AddWithValue("store", storeId);
            command.Parameters.AddWithValue("count", frontier.Count);
            command.Parameters.AddWithValue("frontier", frontier.ToBytes());
            command.Parameters.Add(new NpgsqlParameter("apex", NpgsqlDbType.Bytea) { Value = frontier.Count == 0 ? DBNull.Value : frontier.Apex });
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(cancellationToken);
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

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
