using Mesh.Account;
using Mesh.Gateway;
using Mesh.ServiceDefaults;
using Mesh.ServiceDefaults.Configuration;
using Mesh.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mesh.Integration.Tests.Support;

/// <summary>
/// The account service, the sync service or the gateway on Kestrel in the test process, on free loopback ports,
/// wired exactly as its Program does (AddServiceDefaults + Add…/Map…), with its logs captured.
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, CapturedLogs logs)
    {
        _app = app;
        Logs = logs;
    }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="extra">Further settings (e.g. the sync address and account domains), added to the defaults.</param>
    public static async Task<(KestrelHost Host, Uri Grpc, Uri Health)> StartAccountAsync(string postgres, string keyEncryptionKey,
        string hostSignatureAlgorithm = "Ed25519", IReadOnlyDictionary<string, string?>? extra = null)
    {
        var grpc = FreePort.Next();
        var health = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            [ConfigKeys.Postgres] = postgres,
            [ConfigKeys.KeyEncryptionKey] = keyEncryptionKey,
            [ConfigKeys.HostSignatureAlgorithm] = hostSignatureAlgorithm,
            [ConfigKeys.BindAddress] = "127.0.0.1",
            [ConfigKeys.GrpcPort] = grpc.ToString(),
            [ConfigKeys.HttpPort] = health.ToString(),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var host = await StartAsync(typeof(Mesh.Account.Program), settings, builder => builder.AddAccountServices(), app => app.MapAccountServices());
        return (host, new Uri($"http://127.0.0.1:{grpc}"), new Uri($"http://127.0.0.1:{health}"));
    }

    /// <summary>The sync service, wired as its Program does (health endpoints and the Sync gRPC service).</summary>
    public static async Task<(KestrelHost Host, Uri Grpc, Uri Health)> StartSyncAsync(string postgres)
    {
        var grpc = FreePort.Next();
        var health = FreePort.Next();
        var host = await StartAsync(typeof(Mesh.Sync.Program), new Dictionary<string, string?>
        {
            [ConfigKeys.Postgres] = postgres,
            [ConfigKeys.BindAddress] = "127.0.0.1",
            [ConfigKeys.GrpcPort] = grpc.ToString(),
            [ConfigKeys.HttpPort] = health.ToString(),
        }, builder => builder.AddSyncServices(), app =>
        {
            app.MapDefaultEndpoints();
            app.MapSyncServices();
        });
        return (host, new Uri($"http://127.0.0.1:{grpc}"), new Uri($"http://127.0.0.1:{health}"));
    }

    public static Task<KestrelHost> StartGatewayAsync(IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(typeof(Mesh.Gateway.Program), settings, builder => builder.AddGateway(), app => app.MapGateway());

    private static async Task<KestrelHost> StartAsync(Type program, IReadOnlyDictionary<string, string?> settings,
        Action<WebApplicationBuilder> add, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = program.Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        // The project's own Debug lines too (the per-request ones), not the framework's.
        builder.Logging.AddFilter("Mesh", LogLevel.Debug);
        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new KestrelHost(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
