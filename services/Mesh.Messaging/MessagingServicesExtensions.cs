using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Messaging;

public static class MessagingServicesExtensions
{
    public static IHostApplicationBuilder AddMessagingServices(this IHostApplicationBuilder builder) =>
        builder.AddMeshService(MeshServices.Messaging, typeof(MessagingServicesExtensions).Assembly);
}
