using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Threshold;

public static class ThresholdServicesExtensions
{
    public static IHostApplicationBuilder AddThresholdServices(this IHostApplicationBuilder builder) =>
        builder.AddMeshService(MeshServices.Threshold, typeof(ThresholdServicesExtensions).Assembly);
}
