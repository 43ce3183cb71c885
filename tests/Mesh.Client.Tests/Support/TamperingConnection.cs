using Mesh.Client.Sync;
using Mesh.Core.Schema;

namespace Mesh.Client.Tests.Support;

/// <summary>Forwards to the real service and alters its answers of one type, as a dishonest or broken service would.</summary>
internal sealed class TamperingConnection<TAltered>(IMeshConnection inner, Action<TAltered> tamper) : IMeshConnection where TAltered : MeshResponse
{
    public async System.Threading.Tasks.Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse
    {
        var response = await inner.SendAsync<TResponse>(request, cancellation);
        if (response is TAltered altered) tamper(altered);
        return response;
    }
}
