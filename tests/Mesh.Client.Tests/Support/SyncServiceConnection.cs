using Google.Protobuf;
using Grpc.Core;
using Mesh.Client.Profiles;
using Mesh.Client.Sync;
using Mesh.Common.V1;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.V1;
using SyncClient = Mesh.Sync.V1.Sync.SyncClient;

namespace Mesh.Client.Tests.Support;

/// <summary>
/// The thin adapter between the client and the real sync service, standing where the gateway will
/// stand: each request goes to its gRPC method with the device principal in metadata, as the
/// gateway forwards it after authentication; BindRequest/UnbindRequest create and delete the
/// account's stores, as the account service does when it binds or unbinds. A non-2xx Status raises
/// <see cref="MeshServiceException"/> exactly as <c>MeshServiceClient</c> does.
/// </summary>
public sealed class SyncServiceConnection(SyncClient client, string? account, string? accountUdf, string deviceUdf) : IMeshConnection
{
    /// <summary>Requests sent, by type name, so tests can see the paging.</summary>
    public List<MeshRequest> Sent { get; } = [];

    /// <summary>Called before each request is forwarded (to let another device write first).</summary>
    public Func<MeshRequest, System.Threading.Tasks.Task>? BeforeSend { get; set; }

    Metadata Principal()
    {
        var metadata = new Metadata();
        new Principal { Mode = AuthenticationMode.Profile, AccountAddress = account ?? "", AccountUdf = accountUdf ?? "", DeviceUdf = deviceUdf }.AddTo(metadata);
        return metadata;
    }

    public async System.Threading.Tasks.Task<TResponse> SendAsync<TResponse>(MeshRequest request, CancellationToken cancellation = default) where TResponse : MeshResponse
    {
        if (BeforeSend is not null) await BeforeSend(request);
        Sent.Add(request);
        MeshResponse response;
        switch (request)
        {
            case BindRequest bind:
                account ??= bind.AccountAddress;
                var profile = Assertions.OpenProfile<ProfileUser>(Assertions.FromEnveloped(bind.EnvelopedProfileAccount!, "EnvelopedProfileAccount"));
                accountUdf = profile.ProfileSignature!.Udf!;
                using (var admin = KeyDataConvert.ToSignatureKey(profile.AdministratorSignature, "AdministratorSignature"))
                {
                    await client.CreateStoresAsync(new CreateStoresRequest
                    {
                        AccountAddress = account,
                        AccountUdf = accountUdf,
                        ProfileAccount = ByteString.CopyFrom(Assertions.FromEnveloped(bind.EnvelopedProfileAccount!, "EnvelopedProfileAccount").ToJson()),
                        ApexKeys = { new ApexKey { Algorithm = admin.Algorithm, PublicKey = ByteString.CopyFrom(admin.PublicKey) } },
                    }, cancellationToken: cancellation);
                }
                response = new BindResponse { Status = 200 };
                break;
            case UnbindRequest:
                await client.DeleteStoresAsync(new DeleteStoresRequest { AccountAddress = account, AccountUdf = accountUdf ?? "" }, cancellationToken: cancellation);
                response = new UnbindResponse { Status = 200 };
                break;
            default:
                var call = new MeshCall { Payload = ByteString.CopyFrom(MeshJson.Serialize(request)) };
                var reply = request switch
                {
                    StatusRequest => await client.StatusAsync(call, Principal(), cancellationToken: cancellation),
                    DownloadRequest => await client.DownloadAsync(call, Principal(), cancellationToken: cancellation),
                    TransactRequest => await client.TransactAsync(call, Principal(), cancellationToken: cancellation),
                    _ => throw new ArgumentException($"{request.GetType().Name} is not a sync transaction"),
                };
                response = MeshJson.Deserialize<MeshResponse>(reply.Payload.Span);
                break;
        }
        if (response.Status is not (>= 200 and < 300))
            throw new MeshServiceException($"service refused the request: {response.Status} {response.StatusDescription}", response.Status);
        return (TResponse)response;
    }
}
