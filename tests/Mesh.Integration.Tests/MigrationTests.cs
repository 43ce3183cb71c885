using Mesh.Gateway.Authentication;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Mesh.Integration.Tests;

public sealed class MigrationTests
{
    public static TheoryData<string> Services => ServiceCatalog.Names;

    private static MigrationRunner Runner(NpgsqlDataSource dataSource, string schema, IReadOnlyList<Migration> migrations) =>
        new(dataSource, schema, migrations, NullLogger.Instance);

    [Theory, MemberData(nameof(Services))]
    public async Task Applying_a_service_s_migrations_twice_changes_nothing(string service)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.CreateDataSource();
        var migrations = Migration.FromAssembly(ServiceCatalog.AssemblyOf(service));

        var first = await Runner(dataSource, service, migrations).ApplyAsync(CancellationToken.None);
        var afterFirst = await SnapshotAsync(dataSource, service);
        var second = await Runner(dataSource, service, migrations).ApplyAsync(CancellationToken.None);
        var afterSecond = await SnapshotAsync(dataSource, service);

        Assert.Equal(migrations.Count, first);
        Assert.Equal(0, second);
        Assert.Equal(afterFirst, afterSecond);
        Assert.Contains(afterFirst, line => line.StartsWith($"migration {migrations[0].Version} {migrations[0].Checksum} ", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Services))]
    public async Task Two_replicas_migrating_together_apply_each_migration_once(string service)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var one = database.CreateDataSource();
        await using var two = database.CreateDataSource();
        var migrations = Migration.FromAssembly(ServiceCatalog.AssemblyOf(service));

        var applied = await Task.WhenAll(
            Runner(one, service, migrations).ApplyAsync(CancellationToken.None),
            Runner(two, service, migrations).ApplyAsync(CancellationToken.None));

        Assert.Equal(migrations.Count, applied.Sum());
        Assert.Equal(migrations.Count, await CountAppliedAsync(one, service));
    }

    [Fact]
    public async Task Concurrent_migrators_wait_for_each_other_instead_of_running_DDL_twice()
    {
        // Slow, non-idempotent migrations: without the advisory lock the second runner would see
        // nothing applied yet and fail on CREATE TABLE.
        IReadOnlyList<Migration> migrations =
        [
            new("0001_first", "CREATE TABLE it_race.first (id int PRIMARY KEY); SELECT pg_sleep(0.5);"),
            new("0002_second", "CREATE TABLE it_race.second (id int PRIMARY KEY); SELECT pg_sleep(0.5);"),
        ];
        await using var database = await TestDatabase.CreateAsync();
        var sources = Enumerable.Range(0, 4).Select(_ => database.CreateDataSource()).ToList();

        var applied = await Task.WhenAll(sources.Select(s => Runner(s, "it_race", migrations).ApplyAsync(CancellationToken.None)));

        Assert.Equal(2, applied.Sum());
        Assert.Equal(2, await CountAppliedAsync(sources[0], "it_race"));
        foreach (var source in sources)
            await source.DisposeAsync();
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_is_refused_by_name()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.CreateDataSource();
        await Runner(dataSource, "it_edit", [new("0001_table", "CREATE TABLE it_edit.t (id int);")]).ApplyAsync(CancellationToken.None);

        var edited = Runner(dataSource, "it_edit", [new("0001_table", "CREATE TABLE it_edit.t (id bigint);")]);
        var error = await Assert.ThrowsAsync<MigrationException>(() => edited.ApplyAsync(CancellationToken.None));

        Assert.Contains("it_edit/0001_table was changed after it was applied", error.Message);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.CreateDataSource();
        var broken = Runner(dataSource, "it_broken",
        [
            new("0001_good", "CREATE TABLE it_broken.good (id int);"),
            new("0002_bad", "CREATE TABLE it_broken.half (id int); SELECT no_such_function();"),
        ]);

        await Assert.ThrowsAsync<PostgresException>(() => broken.ApplyAsync(CancellationToken.None));

        Assert.Equal(1, await CountAppliedAsync(dataSource, "it_broken"));
        await using var probe = dataSource.CreateCommand("SELECT to_regclass('it_broken.half') IS NULL");
        Assert.True((bool)(await probe.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_gateway_s_replay_rows_still_in_their_time_are_kept_as_digests_the_replay_table_finds()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = database.CreateDataSource();
        var migrations = Migration.FromAssembly(typeof(ReplayTable).Assembly);
        Assert.Equal("0002_replay_digests", migrations[1].Version);
        await Runner(dataSource, "gateway", migrations.Take(1).ToList()).ApplyAsync(CancellationToken.None);
        // A kid with a non-ASCII character: the SQL digest must take UTF-8 lengths as the gateway does.
        const string kid = "MTICKET-é-kid";
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO gateway.seen_requests (kid, envelope_id, expires_at)
            VALUES ($1, 'NLIVE', now() + interval '5 minutes'), ($1, 'NGONE', now() - interval '1 minute')
            """))
        {
            insert.Parameters.AddWithValue(kid);
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await Runner(dataSource, "gateway", migrations).ApplyAsync(CancellationToken.None));

        var digests = new List<string>();
        await using (var read = dataSource.CreateCommand("SELECT digest FROM gateway.seen_request_digests"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) digests.Add(Convert.ToHexString(reader.GetFieldValue<byte[]>(0)));
        }
        Assert.Equal([Convert.ToHexString(ReplayTable.Digest(kid, "NLIVE"))], digests);
        await using var gone = dataSource.CreateCommand("SELECT to_regclass('gateway.seen_requests') IS NULL");
        Assert.True((bool)(await gone.ExecuteScalarAsync())!);
    }

    private static async Task<long> CountAppliedAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.schema_migrations");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Applied migrations and every column of every table in the schema, as sorted lines.</summary>
    private static async Task<List<string>> SnapshotAsync(NpgsqlDataSource dataSource, string schema)
    {
        var lines = new List<string>();
        await using (var command = dataSource.CreateCommand($"SELECT version, checksum, applied_at FROM {schema}.schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                lines.Add($"migration {reader.GetString(0)} {reader.GetString(1)} {reader.GetDateTime(2):O}");
        }
        await using (var command = dataSource.CreateCommand(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1"))
        {
            command.Parameters.AddWithValue(schema);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add($"column {reader.GetString(0)}.{reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)}");
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
