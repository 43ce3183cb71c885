using Grpc.Core;
using Mesh.Grpc.Client;

namespace Mesh.Gateway.Dispatch;

/// <summary>
/// The replicas of one back-end service: a generated client per configured address. A call goes to
/// the next replica in turn and moves on to the following one when a replica answers UNAVAILABLE.
/// </summary>
public sealed class ServicePool<TClient> : IDisposable
{
    private readonly (Uri Address, GrpcChannel Channel, TClient Client)[] _replicas;
    private readonly ILogger _logger;
    private int _next;

    public ServicePool(string service, IEnumerable<Uri> addresses, Func<ChannelBase, TClient> create, ILogger logger)
    {
        Service = service;
        _logger = logger;
        _replicas = addresses.Select(a =>
        {
            var channel = GrpcChannel.ForAddress(a);
            return (a, channel, create(channel));
        }).ToArray();
        if (_replicas.Length == 0) throw new ArgumentException($"No address for the {service} service.", nameof(addresses));
    }

    public string Service { get; }

    public IReadOnlyList<Uri> Addresses => _replicas.Select(r => r.Address).ToList();

    public async Task<T> CallAsync<T>(Func<TClient, CallOptions, Task<T>> call, CallOptions options)
    {
        var first = (int)((uint)Interlocked.Increment(ref _next) % (uint)_replicas.Length);
        RpcException? last = null;
        for (var i = 0; i < _replicas.Length; i++)
        {
            var replica = _replicas[(first + i) % _replicas.Length];
            try
            {
                return await call(replica.Client, options);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                _logger.LogWarning("{Service} replica {Address} unavailable: {Detail}", Service, replica.Address, e.Status.Detail);
                last = e;
            }
        }
        throw new RpcException(new Status(StatusCode.Unavailable,
            $"No {Service} replica is available ({_replicas.Length} tried): {last!.Status.Detail}"));
    }

    public void Dispose()
    {
        foreach (var replica in _replicas) replica.Channel.Dispose();
    }

    /// <summary>Addresses from a comma-separated configuration value.</summary>
    public static IReadOnlyList<Uri> ParseAddresses(string key, string value)
    {
        var list = new List<Uri>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new ServiceDefaults.Configuration.MeshConfigurationException(
                    $"Configuration '{key}' holds '{part}', which is not an http:// or https:// address.");
            list.Add(uri);
        }
        return list.Count > 0 ? list : throw ServiceDefaults.Configuration.MeshConfigurationException.Missing(key);
    }
}
