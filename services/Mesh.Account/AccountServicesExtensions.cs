using Mesh.Account.Domain;
using Mesh.Account.Grpc;
using Mesh.Account.Profiles;
using Mesh.Account.Storage;
using Mesh.Account.Stores;
using Mesh.ServiceDefaults;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Health;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Account;

public static class AccountServicesExtensions
{
    /// <summary>The service's ports and schema, its gRPC service, and the service/host profiles loaded (or created) at start.</summary>
    public static IHostApplicationBuilder AddAccountServices(this IHostApplicationBuilder builder)
    {
        builder.AddMeshService(MeshServices.Account, typeof(AccountServicesExtensions).Assembly);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<ServiceProfileStore>();
        builder.Services.AddSingleton(provider => AccountPolicy.FromConfiguration(provider.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<SyncStores>();
        builder.Services.AddSingleton<AccountBinding>();
        builder.Services.AddSingleton<ServiceCredentials>();
        // Stateless over singletons: one instance serves every call, with no request scope per call.
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddHostedService<ServiceProfileInitializer>();
        builder.Services.AddHealthChecks().AddCheck<ServiceProfilesHealthCheck>("profiles", tags: [HealthTags.Ready]);
        return builder;
    }

    public static WebApplication MapAccountServices(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapGrpcService<AccountService>();
        return app;
    }
}
