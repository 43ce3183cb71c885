using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Sync;

public static class SyncServicesExtensions
{
    public static IHostApplicationBuilder AddSyncServices(this IHostApplicationBuilder builder) =>
        builder.AddMeshService(MeshServices.Sync, typeof(SyncServicesExtensions).Assembly);
}
