using Npgsql;

namespace Mesh.Integration.Tests.Support;

/// <summary>A database of its own for one test (mesh_it_&lt;guid&gt;), dropped afterwards.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name = "mesh_it_" + Guid.NewGuid().ToString("N");

    private TestDatabase() =>
        ConnectionString = new NpgsqlConnectionStringBuilder(TestInfrastructure.Postgres) { Database = _name }.ConnectionString;

    public string ConnectionString { get; }

    /// <summary>A name and connection string only: the database is made by <see cref="CreateAsync()"/>.</summary>
    public static TestDatabase Reserve() => new();

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.CreateAsync(CancellationToken.None);
        return database;
    }

    // Identifiers cannot be bound as parameters; the name is generated above.
    public Task CreateAsync(CancellationToken cancellationToken) => AdminAsync($"CREATE DATABASE {_name}", cancellationToken);

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", CancellationToken.None);
    }

    private static async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var admin = new NpgsqlConnection(TestInfrastructure.Postgres);
        await admin.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
