using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Hosting;

namespace Mesh.Account;

public static class AccountServicesExtensions
{
    public static IHostApplicationBuilder AddAccountServices(this IHostApplicationBuilder builder) =>
        builder.AddMeshService(MeshServices.Account, typeof(AccountServicesExtensions).Assembly);
}
