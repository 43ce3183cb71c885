using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.Core.Schema;

namespace Mesh.EndToEnd.Tests.Support;

/// <summary>
/// A connector that lets something else happen just before one request goes out: another device
/// writes between this one's Status and Transact (a race on cue), or the request is altered on its
/// way (a forged entry), all through the real gateway.
/// </summary>
public sealed class InterleavingConnector(IMeshConnector inner) : IMeshConnector
{
    Func<MeshRequest, bool>? match;
    Action<MeshRequest>? action;

    /// <summary>Runs <paramref name="interleaved"/> once, before the first request that <paramref name="when"/> matches.</summary>
    public void Once(Func<MeshRequest, bool> when, Action interleaved) => Once(when, _ => interleaved());

    /// <summary>Hands the first request that <paramref name="when"/> matches to <paramref name="alter"/> before it is sent.</summary>
    public void Once(Func<MeshRequest, bool> when, Action<MeshRequest> alter) => (match, action) = (when, alter);

    public Task<HelloResult> HelloAsync(Uri endpoint, CancellationToken cancellation = default) => inner.HelloAsync(endpoint, cancellation);

    public async Task<IMeshConnection> ConnectAsync(Uri endpoint, DeviceCredential device, AccountCredential? account,
        CancellationToken cancellation = default) =>
        new Connection(await inner.ConnectAsync(endpoint, device, account, cancellation), this);

    void Before(MeshRequest request)
    {
        if (match is null || !match(request)) return;
        var run = action!;
        (match, action) = (null, null);
        run(request);
    }

    sealed class Connection(IMeshConnection inner, InterleavingConnector owner) : IMeshConnection
    {
        public Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse
        {
            owner.Before(request);
            return inner.SendAsync<TResponse>(request, cancellation);
        }
    }
}
