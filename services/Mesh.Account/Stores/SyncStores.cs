using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.ServiceDefaults.Configuration;
using Mesh.Sync.V1;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Account.Stores;

/// <summary>
/// The sync service as the account service uses it: CreateStores when an account is bound,
/// DeleteStores when it is unbound. Replicas from <see cref="ConfigKeys.SyncAddresses"/> are tried
/// in turn when one answers UNAVAILABLE.
/// </summary>
public sealed class SyncStores : IDisposable
{
    static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    // Made on first use, so Hello and GetHostCredential work in a deployment that binds no accounts.
    readonly Lazy<(GrpcChannel Channel, SyncClient Client)[]> replicas;

    public SyncStores(IConfiguration configuration) => replicas = new(() => Connect(configuration));

    static (GrpcChannel Channel, SyncClient Client)[] Connect(IConfiguration configuration)
    {
        var value = configuration.GetRequired(ConfigKeys.SyncAddresses);
        var replicas = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new MeshConfigurationException($"Configuration '{ConfigKeys.SyncAddresses}' holds '{part}', which is not an http:// or https:// address.");
            var channel = GrpcChannel.ForAddress(uri);
            return (channel, new SyncClient(channel));
        }).ToArray();
        return replicas.Length > 0 ? replicas : throw MeshConfigurationException.Missing(ConfigKeys.SyncAddresses);
    }

    public Task<CreateStoresReply> CreateAsync(CreateStoresRequest request, CancellationToken cancellationToken) =>
        CallAsync((client, options) => client.CreateStoresAsync(request, options).ResponseAsync, cancellationToken);

    public Task<DeleteStoresReply> DeleteAsync(DeleteStoresRequest request, CancellationToken cancellationToken) =>
        CallAsync((client, options) => client.DeleteStoresAsync(request, options).ResponseAsync, cancellationToken);

    async Task<T> CallAsync<T>(Func<SyncClient, CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        RpcException? last = null;
        foreach (var (_, client) in replicas.Value)
        {
            try
            {
                return await call(client, new CallOptions(deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: cancellationToken));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                last = e;
            }
        }
        throw last!;
    }

    public void Dispose()
    {
        if (!replicas.IsValueCreated) return;
        foreach (var (channel, _) in replicas.Value) channel.Dispose();
    }
}
