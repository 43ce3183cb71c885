using Mesh.Client.Sync;
using Mesh.Core.Schema;

namespace Mesh.Client.Tests.Support;

/// <summary>Forwards to the real service and alters its Download answers, as a dishonest or broken service would.</summary>
internal sealed class TamperingConnection(IMeshConnection inner, Action<DownloadResponse> tamper) : IMeshConnection
{
    public async System.Threading.Tasks.Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse
    {
        var response = await inner.SendAsync<TResponse>(request, cancellation);
        if (response is DownloadResponse download) tamper(download);
        return response;
    }
}
