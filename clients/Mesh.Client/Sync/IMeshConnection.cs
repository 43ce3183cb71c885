using Mesh.Client.Transport;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Client.Sync;

/// <summary>
/// One authenticated channel to the service of an account: sends a request and returns the verified
/// response, raising <see cref="MeshServiceException"/> (with the Mesh status) when the service
/// refuses it, as <see cref="MeshServiceClient"/> does.
/// </summary>
public interface IMeshConnection
{
    Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse;
}

/// <summary>How the client reaches a service: Hello, then a connection authenticated as a device or for an account.</summary>
public interface IMeshConnector
{
    Task<HelloResult> HelloAsync(Uri endpoint, CancellationToken cancellation = default);

    /// <summary>Device mode when <paramref name="account"/> is null (BindAccount), else Profile mode.</summary>
    Task<IMeshConnection> ConnectAsync(Uri endpoint, DeviceCredential device, AccountCredential? account, CancellationToken cancellation = default);
}

/// <summary>A <see cref="MeshServiceClient"/> with the authentication every request of this channel carries.</summary>
public sealed class ServiceConnection(MeshServiceClient client, IMeshRequestAuthentication authentication) : IMeshConnection
{
    public Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse =>
        client.SendAsync<TResponse>(request, authentication, cancellation);
}

/// <summary>
/// The DARE-over-HTTP connector: one <see cref="MeshServiceClient"/> per connection, Device mode
/// for BindAccount, Ticket mode (starting with a Profile exchange) for everything on a bound account.
/// Requests after Hello are encoded as <paramref name="mediaType"/> (JSON when null).
/// </summary>
public sealed class HttpMeshConnector(HttpClient http, MeshMediaType? mediaType = null) : IMeshConnector
{
    public async Task<HelloResult> HelloAsync(Uri endpoint, CancellationToken cancellation = default) =>
        await new MeshServiceClient(http, endpoint).HelloAsync(cancellation);

    public async Task<IMeshConnection> ConnectAsync(Uri endpoint, DeviceCredential device, AccountCredential? account,
        CancellationToken cancellation = default)
    {
        var client = new MeshServiceClient(http, endpoint, mediaType);
        await client.HelloAsync(cancellation);
        IMeshRequestAuthentication mode = account is null
            ? new DeviceAuthentication(device)
            : new TicketAuthentication(new ProfileAuthentication(device, account.AccountAddress, account.ConnectionDevice));
        return new ServiceConnection(client, mode);
    }
}
