using System.Reflection;
using Mesh.ServiceDefaults.Bus;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Health;
using Mesh.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Mesh.ServiceDefaults.Hosting;

public static class MeshServiceExtensions
{
    /// <summary>
    /// What every back-end service shares: an h2c port for gRPC and an HTTP/1.1 port for probes,
    /// its PostgreSQL schema migrated from the Migrations/*.sql embedded in
    /// <paramref name="serviceAssembly"/>, and the bus when <see cref="MeshService.UsesBus"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMeshService(this IHostApplicationBuilder builder, MeshService service, Assembly serviceAssembly)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            kestrel.ListenOnConfiguredAddress(configuration, configuration.GetPort(ConfigKeys.GrpcPort, service.DefaultGrpcPort),
                listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.ListenOnConfiguredAddress(configuration, configuration.GetPort(ConfigKeys.HttpPort, service.DefaultHttpPort),
                listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddMeshStorage(service.Name, Migration.FromAssembly(serviceAssembly));
        if (service.UsesBus)
            builder.Services.AddMeshBus();
        return builder;
    }

    /// <summary>
    /// The data source of a connection string: statements used more than once are prepared (Max Auto
    /// Prepare 64, unless the string sets another number) and a pooled connection is not reset when it
    /// is handed out again (No Reset On Close: no DISCARD ALL per request). That is safe because no
    /// code here leaves session state behind (the migration's advisory lock is released explicitly).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        builder.NoResetOnClose = true;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>The PostgreSQL data source (<see cref="ConfigKeys.Postgres"/>), start-up migration of <paramref name="schema"/>, and their readiness checks.</summary>
    public static IServiceCollection AddMeshStorage(this IServiceCollection services, string schema, IReadOnlyList<Migration> migrations)
    {
        services.AddSingleton(provider => CreateDataSource(provider.GetRequiredService<IConfiguration>().GetRequired(ConfigKeys.Postgres)));
        services.AddSingleton(new MigrationState(schema));
        services.AddHostedService(provider => new MigrationHostedService(
            provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<MigrationState>(), migrations,
            provider.GetRequiredService<ILogger<MigrationHostedService>>()));
        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [HealthTags.Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<SchemaMigratedHealthCheck>("schema", tags: [HealthTags.Ready]);
        return services;
    }
}
