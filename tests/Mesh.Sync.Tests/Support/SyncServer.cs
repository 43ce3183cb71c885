using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Mesh.Common.V1;
using Mesh.Grpc.Client;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Sync.Tests.Support;

/// <summary>
/// The sync service as it is deployed (AddSyncServices, Kestrel h2c) on a database of its own,
/// created and migrated with the service's migrations; one per test class, dropped afterwards.
/// </summary>
public sealed class SyncServer : IAsyncLifetime
{
    const string Variable = "MESH_TEST_PG";
    readonly string database = "mesh_sync_" + Guid.NewGuid().ToString("N");
    readonly List<(WebApplication App, GrpcChannel Channel)> hosts = [];
    string connection = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public SyncClient Client { get; private set; } = null!;

    public IServiceProvider Services => hosts[0].App.Services;

    static string AdminConnection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set. These tests run against the PostgreSQL that './mesh test' starts: run ./mesh test.");

    public async Task InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {database}");
        connection = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(connection);
        await new MigrationRunner(DataSource, MeshServices.Sync.Name, Migration.FromAssembly(typeof(SyncServicesExtensions).Assembly),
            NullLogger.Instance).ApplyAsync(CancellationToken.None);
        Client = await ReplicaAsync();
    }

    /// <summary>
    /// Starts another sync service on the same database, as a second replica behind the gateway, and
    /// returns a client of it; it stops with the fixture.
    /// </summary>
    public async Task<SyncClient> ReplicaAsync()
    {
        var grpcPort = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration[ConfigKeys.Postgres] = connection;
        builder.Configuration[ConfigKeys.BindAddress] = "127.0.0.1";
        builder.Configuration[ConfigKeys.GrpcPort] = grpcPort.ToString();
        builder.Configuration[ConfigKeys.HttpPort] = FreePort().ToString();
        // Small limits so paging and size checks are cheap to reach.
        builder.Configuration["Mesh:Sync:MaxPayloadBytes"] = "4096";
        builder.Configuration["Mesh:Sync:MaxEnvelopeBytes"] = "6144";
        builder.Configuration["Mesh:Sync:MaxDownloadEntries"] = "5";
        builder.Configuration["Mesh:Sync:MaxDownloadBytes"] = "8192";
        builder.Configuration["Mesh:Sync:MaxTransactEntries"] = "20";
        builder.AddSyncServices();
        var app = builder.Build();
        app.MapSyncServices();
        await app.StartAsync();
        var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}"));
        hosts.Add((app, channel));
        await WaitMigratedAsync(app);
        return new SyncClient(channel);
    }

    // Migrated once its background migration has run: a test that ends sooner would stop the host mid-migration.
    static async Task WaitMigratedAsync(WebApplication app)
    {
        var state = app.Services.GetRequiredService<MigrationState>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (state.Status == MigrationStatus.Pending)
        {
            if (DateTime.UtcNow >= until) throw new TimeoutException("the sync service's schema was not migrated within 30 s");
            await Task.Delay(10);
        }
        if (state.Status != MigrationStatus.Migrated) throw new InvalidOperationException($"the sync service's migration failed: {state.Error}");
    }

    public async Task DisposeAsync()
    {
        foreach (var (app, channel) in hosts)
        {
            channel.Dispose();
            await app.DisposeAsync();
        }
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    /// <summary>The account UDF the tests' stores are created for (a stand-in: the sync service only compares it).</summary>
    public const string AccountUdf = "MACC-OUNT-TEST";

    /// <summary>Metadata carrying a device principal of <paramref name="account"/>, as the gateway sends it.</summary>
    public static Metadata DeviceOf(string account, string device = "MDEV-ICE1-TEST", string accountUdf = AccountUdf)
    {
        var metadata = new Metadata();
        new Principal { Mode = AuthenticationMode.Profile, AccountAddress = account, AccountUdf = accountUdf, DeviceUdf = device }.AddTo(metadata);
        return metadata;
    }

    // The database name is generated above; identifiers cannot be bound as parameters.
    static async Task AdminAsync(string sql)
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
