using Mesh.Client.Profiles;
using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.Core.Cryptography;
using Mesh.Core.Schema;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Client.Tests.Support;

/// <summary>
/// Connects the client to the real sync service through <see cref="SyncServiceConnection"/>; Hello
/// answers with a service and host profile made here (the account service is not part of this
/// stack). Whatever the endpoint, every account lands on the same sync service.
/// </summary>
public sealed class SyncServiceConnector : IMeshConnector, IDisposable
{
    readonly SyncClient client;
    readonly SignatureKeyPair serviceKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly SignatureKeyPair hostKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);

    public SyncServiceConnector(SyncClient client) => this.client = client;

    public string ServiceUdf => Mesh.Core.Udf.Udf.KeyFingerprint(serviceKey);

    /// <summary>Every connection made, with the requests each sent.</summary>
    public List<SyncServiceConnection> Connections { get; } = [];

    /// <summary>When set, BindRequest is refused with this status and description (as the account service refuses a bind).</summary>
    public (long Status, string Description)? RefuseBind { get; set; }

    public System.Threading.Tasks.Task<HelloResult> HelloAsync(Uri endpoint, CancellationToken cancellation = default)
    {
        var service = new ProfileService { ProfileSignature = KeyDataConvert.Public(serviceKey) };
        var host = new ProfileHost { ProfileSignature = KeyDataConvert.Public(hostKey), Signature = KeyDataConvert.Public(hostKey) };
        var response = new MeshHelloResponse { Status = 201, Version = new VersionInfo { Major = 3, Minor = 0 } };
        return System.Threading.Tasks.Task.FromResult(new HelloResult(response, service, host, Assertions.Seal(host, hostKey)));
    }

    public System.Threading.Tasks.Task<IMeshConnection> ConnectAsync(Uri endpoint, DeviceCredential device, AccountCredential? account, CancellationToken cancellation = default)
    {
        var connection = new SyncServiceConnection(client, account?.AccountAddress, account?.AccountUdf, Assertions.OpenProfile<ProfileDevice>(device.ProfileDevice).ProfileSignature!.Udf!);
        if (RefuseBind is { } refusal)
        {
            connection.BeforeSend = request => request is BindRequest
                ? throw new MeshServiceException($"service refused the request: {refusal.Status} {refusal.Description}", refusal.Status)
                : System.Threading.Tasks.Task.CompletedTask;
        }
        Connections.Add(connection);
        return System.Threading.Tasks.Task.FromResult<IMeshConnection>(connection);
    }

    public void Dispose()
    {
        serviceKey.Dispose();
        hostKey.Dispose();
    }
}
