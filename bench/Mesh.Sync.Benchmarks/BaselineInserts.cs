using Npgsql;
using NpgsqlTypes;

namespace Mesh.Sync.Benchmarks;

/// <summary>One row of sync.entry as the service wrote it for a Transact of the load: the baseline inserts the same bytes.</summary>
public sealed record EntryRowSample(byte[] Envelope, byte[] PayloadDigest, byte[] ApexDigest);

/// <summary>
/// The same-run baseline of the Transact load: a raw Npgsql INSERT of the row the sync service
/// stores for one entry (same envelope bytes, digests and time column) into a table of the same
/// shape as sync.entry (primary key, foreign key to a store table, the received index), in the same
/// PostgreSQL and database, one transaction per row (autocommit), with the server's own
/// synchronous_commit. Each worker has its own connection and its own store_id, as each client of
/// the stack load has its own account.
/// </summary>
public sealed class BaselineInserts : IAsyncDisposable
{
    const string Schema = "bench_sync";

    readonly NpgsqlDataSource dataSource;
    readonly EntryRowSample row;
    readonly Worker[] workers;

    BaselineInserts(NpgsqlDataSource dataSource, EntryRowSample row, Worker[] workers)
    {
        this.dataSource = dataSource;
        this.row = row;
        this.workers = workers;
    }

    /// <summary>synchronous_commit, fsync and the server version, as the baseline and the services see them.</summary>
    public static async Task<(string SynchronousCommit, string Fsync, string Version)> SettingsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<string> Show(string setting)
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            return (string)(await command.ExecuteScalarAsync())!;
        }
        return (await Show("synchronous_commit"), await Show("fsync"), await Show("server_version"));
    }

    /// <summary>The last Credential row of <paramref name="account"/>, as the sync service stored it.</summary>
    public static async Task<EntryRowSample> ReadStoredRowAsync(string connectionString, string account)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT e.envelope, e.payload_digest, e.apex_digest FROM sync.entry e JOIN sync.store s ON s.store_id = e.store_id
            WHERE s.account = @account AND s.name = @store ORDER BY e.entry_index DESC LIMIT 1
            """, connection);
        command.Parameters.AddWithValue("account", account);
        command.Parameters.AddWithValue("store", BenchDevice.Store);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"sync.entry holds no {BenchDevice.Store} row of {account}");
        return new EntryRowSample(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2));
    }

    /// <summary>Creates schema bench_sync (dropped first if a previous run left it) and opens one connection per worker.</summary>
    public static async Task<BaselineInserts> CreateAsync(string connectionString, EntryRowSample row, int maxWorkers)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = Math.Max(maxWorkers + 2, 10) };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var command = new NpgsqlCommand($"""
            DROP SCHEMA IF EXISTS {Schema} CASCADE;
            CREATE SCHEMA {Schema};
            CREATE TABLE {Schema}.store (store_id bigint PRIMARY KEY);
            CREATE TABLE {Schema}.entry (
                store_id       bigint      NOT NULL REFERENCES {Schema}.store (store_id) ON DELETE CASCADE,
                entry_index    bigint      NOT NULL CHECK (entry_index >= 0),
                envelope       bytea       NOT NULL,
                payload_digest bytea       NOT NULL,
                apex_digest    bytea       NOT NULL,
                received       timestamptz NOT NULL,
                PRIMARY KEY (store_id, entry_index)
            );
            CREATE INDEX entry_received ON {Schema}.entry (store_id, received);
            INSERT INTO {Schema}.store (store_id) SELECT generate_series(1, {maxWorkers});
            """, connection))
        {
            await command.ExecuteNonQueryAsync();
        }
        var workers = new Worker[maxWorkers];
        for (var i = 0; i < maxWorkers; i++) workers[i] = await Worker.OpenAsync(dataSource, i + 1, row);
        return new BaselineInserts(dataSource, row, workers);
    }

    public int EnvelopeBytes => row.Envelope.Length;

    public Task InsertAsync(int worker) => workers[worker].InsertAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers) await worker.DisposeAsync();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await dataSource.DisposeAsync();
        }
    }

    sealed class Worker : IAsyncDisposable
    {
        readonly NpgsqlConnection connection;
        readonly NpgsqlCommand command;
        readonly NpgsqlParameter<long> index;
        readonly NpgsqlParameter<DateTime> received;
        long next;

        Worker(NpgsqlConnection connection, long storeId, EntryRowSample row)
        {
            this.connection = connection;
            command = new NpgsqlCommand($"""
                INSERT INTO {Schema}.entry (store_id, entry_index, envelope, payload_digest, apex_digest, received)
                VALUES (@store, @index, @envelope, @payload_digest, @apex_digest, @received)
                """, connection);
            command.Parameters.Add(new NpgsqlParameter<long>("store", storeId));
            index = new NpgsqlParameter<long>("index", 0L);
            command.Parameters.Add(index);
            command.Parameters.Add(new NpgsqlParameter<byte[]>("envelope", row.Envelope));
            command.Parameters.Add(new NpgsqlParameter<byte[]>("payload_digest", row.PayloadDigest));
            command.Parameters.Add(new NpgsqlParameter<byte[]>("apex_digest", row.ApexDigest));
            received = new NpgsqlParameter<DateTime>("received", NpgsqlDbType.TimestampTz) { TypedValue = DateTime.UtcNow };
            command.Parameters.Add(received);
        }

        public static async Task<Worker> OpenAsync(NpgsqlDataSource dataSource, long storeId, EntryRowSample row) =>
            new(await dataSource.OpenConnectionAsync(), storeId, row);

        public async Task InsertAsync()
        {
            index.TypedValue = next++;
            received.TypedValue = DateTime.UtcNow;
            await command.ExecuteNonQueryAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
