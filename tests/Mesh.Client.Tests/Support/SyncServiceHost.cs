using System.Net;
using System.Net.Sockets;
using Mesh.Grpc.Client;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Storage;
using Mesh.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Client.Tests.Support;

/// <summary>
/// The sync service as deployed (AddSyncServices, Kestrel h2c, its migrations) on a PostgreSQL
/// database of its own from MESH_TEST_PG (./mesh test), with a Download page of
/// <see cref="PageEntries"/> entries so the client's paging is exercised. One per test class.
/// </summary>
public sealed class SyncServiceHost : IAsyncLifetime
{
    public const int PageEntries = 5;
    const string Variable = "MESH_TEST_PG";
    readonly string database = "mesh_client_" + Guid.NewGuid().ToString("N");
    WebApplication? app;
    GrpcChannel? channel;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public SyncClient Client { get; private set; } = null!;

    static string AdminConnection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set. These tests run against the PostgreSQL that './mesh test' starts: run ./mesh test.");

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {database}");
        var connection = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(connection);
        await new MigrationRunner(DataSource, MeshServices.Sync.Name, Migration.FromAssembly(typeof(SyncServicesExtensions).Assembly),
            NullLogger.Instance).ApplyAsync(CancellationToken.None);
        var grpcPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration[ConfigKeys.Postgres] = connection;
        builder.Configuration[ConfigKeys.BindAddress] = "127.0.0.1";
        builder.Configuration[ConfigKeys.GrpcPort] = grpcPort.ToString();
        builder.Configuration[ConfigKeys.HttpPort] = FreePort().ToString();
        builder.Configuration["Mesh:Sync:MaxDownloadEntries"] = PageEntries.ToString();
        builder.AddSyncServices();
        app = builder.Build();
        app.MapSyncServices();
        await app.StartAsync();
        channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}"));
        Client = new SyncClient(channel);
    }

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        channel?.Dispose();
        if (app is not null) await app.DisposeAsync();
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    // The database name is generated above; identifiers cannot be bound as parameters.
    static async System.Threading.Tasks.Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(AdminConnection);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
