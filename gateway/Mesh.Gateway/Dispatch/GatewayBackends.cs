using Mesh.ServiceDefaults.Configuration;
using AccountClient = Mesh.Account.V1.Account.AccountClient;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Gateway.Dispatch;

/// <summary>The service pools the gateway calls, one per back-end service it dispatches to.</summary>
public sealed class GatewayBackends(IConfiguration configuration, ILoggerFactory loggers) : IDisposable
{
    public ServicePool<AccountClient> Account { get; } = new(MeshServices.Account.Name,
        ServicePool<AccountClient>.ParseAddresses(ConfigKeys.AccountAddresses, configuration.GetRequired(ConfigKeys.AccountAddresses)),
        channel => new AccountClient(channel), loggers.CreateLogger<GatewayBackends>());

    // Made on first use: a gateway configured without the sync service still answers Hello.
    private readonly Lazy<ServicePool<SyncClient>> _sync = new(() => new(MeshServices.Sync.Name,
        ServicePool<SyncClient>.ParseAddresses(ConfigKeys.SyncAddresses, configuration.GetRequired(ConfigKeys.SyncAddresses)),
        channel => new SyncClient(channel), loggers.CreateLogger<GatewayBackends>()));

    public ServicePool<SyncClient> Sync => _sync.Value;

    public void Dispose()
    {
        Account.Dispose();
        if (_sync.IsValueCreated) _sync.Value.Dispose();
    }
}
