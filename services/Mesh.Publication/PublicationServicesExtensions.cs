using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Publication;

public static class PublicationServicesExtensions
{
    public static IHostApplicationBuilder AddPublicationServices(this IHostApplicationBuilder builder) =>
        builder.AddMeshService(MeshServices.Publication, typeof(PublicationServicesExtensions).Assembly);
}
