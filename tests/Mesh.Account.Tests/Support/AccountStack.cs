using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Grpc.Core;
using Mesh.Account.Domain;
using Mesh.Common.V1;
using Mesh.Grpc.Client;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Storage;
using Mesh.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using AccountClient = Mesh.Account.V1.Account.AccountClient;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Account.Tests.Support;

/// <summary>
/// The account and sync services as deployed (AddAccountServices, AddSyncServices, Kestrel h2c) on a
/// database of their own: one sync service, account services with the Retire and the Free unbind
/// policy, and one whose sync address answers nobody. Dropped afterwards.
/// </summary>
public sealed class AccountStack : IAsyncLifetime
{
    public const string Domain = "example.com";
    const string Variable = "MESH_TEST_PG";
    readonly string database = "mesh_account_" + Guid.NewGuid().ToString("N");
    readonly List<IAsyncDisposable> hosts = [];
    readonly List<GrpcChannel> channels = [];

    public NpgsqlDataSource DataSource { get; private set; } = null!;
    public SyncClient Sync { get; private set; } = null!;
    public AccountClient Retiring { get; private set; } = null!;
    public AccountClient Freeing { get; private set; } = null!;
    public AccountClient WithoutSync { get; private set; } = null!;

    static string AdminConnection => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{Variable} is not set. These tests run against the PostgreSQL that './mesh test' starts: run ./mesh test.");

    public async Task InitializeAsync()
    {
        await AdminAsync($"CREATE DATABASE {database}");
        var connection = new NpgsqlConnectionStringBuilder(AdminConnection) { Database = database }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(connection);
        await new MigrationRunner(DataSource, MeshServices.Sync.Name, Migration.FromAssembly(typeof(SyncServicesExtensions).Assembly), NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);
        await new MigrationRunner(DataSource, MeshServices.Account.Name, Migration.FromAssembly(typeof(AccountServicesExtensions).Assembly), NullLogger.Instance)
            .ApplyAsync(CancellationToken.None);

        var syncPort = FreePort();
        var sync = await StartAsync(connection, syncPort, builder => builder.AddSyncServices(), app => app.MapSyncServices());
        Sync = new SyncClient(Channel(syncPort));
        var kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Retiring = await StartAccountAsync(connection, kek, $"http://127.0.0.1:{syncPort}", UnbindPolicy.Retire);
        Freeing = await StartAccountAsync(connection, kek, $"http://127.0.0.1:{syncPort}", UnbindPolicy.Free);
        WithoutSync = await StartAccountAsync(connection, kek, $"http://127.0.0.1:{FreePort()}", UnbindPolicy.Retire);
    }

    async Task<AccountClient> StartAccountAsync(string connection, string kek, string syncAddress, UnbindPolicy policy)
    {
        var port = FreePort();
        await StartAsync(connection, port, builder =>
        {
            builder.Configuration[ConfigKeys.KeyEncryptionKey] = kek;
            builder.Configuration[ConfigKeys.SyncAddresses] = syncAddress;
            builder.Configuration[ConfigKeys.AccountDomains] = $"{Domain}, Example.NET";
            builder.Configuration[ConfigKeys.AccountUnbindPolicy] = policy.ToString();
            builder.AddAccountServices();
        }, app => app.MapAccountServices());
        return new AccountClient(Channel(port));
    }

    async Task<WebApplication> StartAsync(string connection, int grpcPort, Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration[ConfigKeys.Postgres] = connection;
        builder.Configuration[ConfigKeys.BindAddress] = "127.0.0.1";
        builder.Configuration[ConfigKeys.GrpcPort] = grpcPort.ToString();
        builder.Configuration[ConfigKeys.HttpPort] = FreePort().ToString();
        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        hosts.Add(app);
        return app;
    }

    GrpcChannel Channel(int port)
    {
        var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{port}"));
        channels.Add(channel);
        return channel;
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in channels) channel.Dispose();
        foreach (var host in hosts) await host.DisposeAsync();
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    /// <summary>Metadata of a device principal (BindAccount: Device authentication, no account yet).</summary>
    public static Metadata Device(string device = "MDEV-ICE1-TEST")
    {
        var metadata = new Metadata();
        new Principal { Mode = AuthenticationMode.Device, DeviceUdf = device }.AddTo(metadata);
        return metadata;
    }

    /// <summary>Metadata of a Profile-authenticated principal of an account.</summary>
    public static Metadata Profile(string address, string accountUdf, string device = "MDEV-ICE1-TEST")
    {
        var metadata = new Metadata();
        new Principal { Mode = AuthenticationMode.Profile, AccountAddress = address, AccountUdf = accountUdf, DeviceUdf = device }.AddTo(metadata);
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
