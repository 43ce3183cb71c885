using Mesh.ServiceDefaults.Configuration;
using AccountClient = Mesh.Account.V1.Account.AccountClient;

namespace Mesh.Gateway.Dispatch;

/// <summary>The service pools the gateway calls, one per back-end service it dispatches to.</summary>
public sealed class GatewayBackends(IConfiguration configuration, ILoggerFactory loggers) : IDisposable
{
    public ServicePool<AccountClient> Account { get; } = new(MeshServices.Account.Name,
        ServicePool<AccountClient>.ParseAddresses(ConfigKeys.AccountAddresses, configuration.GetRequired(ConfigKeys.AccountAddresses)),
        channel => new AccountClient(channel), loggers.CreateLogger<GatewayBackends>());

    public void Dispose() => Account.Dispose();
}
