using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;
using Mesh.Sync.Domain;
using Mesh.Sync.Grpc;
using Mesh.Sync.Storage;

namespace Mesh.Sync;

public static class SyncServicesExtensions
{
    public static IHostApplicationBuilder AddSyncServices(this IHostApplicationBuilder builder)
    {
        builder.AddMeshService(MeshServices.Sync, typeof(SyncServicesExtensions).Assembly);
        builder.Services.AddGrpc();
        builder.Services.AddOptions<SyncOptions>().Bind(builder.Configuration.GetSection(SyncOptions.Section))
            .Validate(options => { options.Validate(); return true; });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StoreRepository>();
        builder.Services.AddSingleton<StoreReads>();
        builder.Services.AddSingleton<ApexKeyCache>();
        builder.Services.AddSingleton<StoreStateCache>();
        builder.Services.AddSingleton<AccessPolicyCache>();
        builder.Services.AddSingleton<StoreTransactions>();
        builder.Services.AddSingleton<StoreProvisioning>();
        // Stateless over singletons: one instance serves every call, with no request scope per call.
        builder.Services.AddSingleton<SyncService>();
        return builder;
    }

    public static WebApplication MapSyncServices(this WebApplication app)
    {
        app.MapGrpcService<SyncService>();
        return app;
    }
}
