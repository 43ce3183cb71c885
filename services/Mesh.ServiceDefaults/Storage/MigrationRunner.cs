using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mesh.ServiceDefaults.Storage;

/// <summary>
/// Applies a service's migrations to its own schema, each in its own transaction, recording them
/// in &lt;schema&gt;.schema_migrations. A session advisory lock keyed by the schema serialises
/// replicas that start together; the lock goes with the connection if the process dies.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, string schema, IReadOnlyList<Migration> migrations, ILogger logger)
{
    private readonly string _schema = SchemaPattern().IsMatch(schema)
        ? schema
        : throw new MigrationException($"Schema name '{schema}' must be lower-case letters, digits and '_'.");

    /// <summary>Applies what is missing; returns how many migrations were applied now.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var lockKey = "mesh.migrations." + _schema;
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext(@key))", cancellationToken, ("key", lockKey));
        try
        {
            // The schema name was validated above, so it is safe to place in DDL.
            await ExecuteAsync(connection, $"""
                CREATE SCHEMA IF NOT EXISTS {_schema};
                CREATE TABLE IF NOT EXISTS {_schema}.schema_migrations (
                    version    text PRIMARY KEY,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now());
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var count = 0;
            foreach (var migration in migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                        throw new MigrationException(
                            $"Migration {_schema}/{migration.Version} was changed after it was applied (checksum {checksum}, file {migration.Checksum}); add a new migration instead.");
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                await ExecuteAsync(connection, $"INSERT INTO {_schema}.schema_migrations (version, checksum) VALUES (@version, @checksum)",
                    cancellationToken, ("version", migration.Version), ("checksum", migration.Checksum));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Schema}/{Version}", _schema, migration.Version);
                count++;
            }
            return count;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext(@key))", CancellationToken.None, ("key", lockKey));
        }
    }

    private async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version, checksum FROM {_schema}.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            applied.Add(reader.GetString(0), reader.GetString(1));
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, string Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SchemaPattern();
}
