using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Common.V1;
using Mesh.Core;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Storage;
using Mesh.Sync.V1;

namespace Mesh.Sync.Grpc;

/// <summary>
/// Maps the wire to the domain: MeshCall JSON to schema requests, the metadata principal to a
/// <see cref="SyncCaller"/>, domain answers and request errors to MeshReply JSON, and calls that
/// are not Mesh answers (no principal, wrong account, unreadable payload) to gRPC status codes.
/// </summary>
public sealed class SyncService(StoreReads reads, StoreTransactions transactions, StoreProvisioning provisioning) : V1.Sync.SyncBase
{
    public override Task<MeshReply> Status(MeshCall request, ServerCallContext context) =>
        HandleAsync<StatusRequest, StatusResponse>(request, context, async (caller, account, call) =>
            Reply(await reads.StatusAsync(caller, account, call, context.CancellationToken)));

    public override Task<MeshReply> Download(MeshCall request, ServerCallContext context) =>
        HandleAsync<DownloadRequest, DownloadResponse>(request, context, async (caller, account, call) =>
            Reply(await reads.DownloadAsync(caller, account, call, context.CancellationToken)));

    public override Task<MeshReply> Transact(MeshCall request, ServerCallContext context) =>
        HandleAsync<TransactRequest, TransactResponse>(request, context, async (caller, account, call) =>
            Reply(await transactions.TransactAsync(caller, account, call, context.CancellationToken)));

    public override async Task<CreateStoresReply> CreateStores(CreateStoresRequest request, ServerCallContext context)
    {
        RefuseGatewayCaller(context);
        var keys = request.ApexKeys.Select(k => new ApexKeyInput(k.Algorithm, k.PublicKey.ToByteArray())).ToList();
        int created;
        try
        {
            created = await Provision(() => provisioning.CreateStoresAsync(request.AccountAddress, request.AccountUdf, keys,
                request.ProfileAccount.ToByteArray(), context.CancellationToken));
        }
        catch (StoresOfAnotherAccountException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
        return new CreateStoresReply { Created = created, Stores = { StoreNames.All } };
    }

    public override async Task<DeleteStoresReply> DeleteStores(DeleteStoresRequest request, ServerCallContext context)
    {
        RefuseGatewayCaller(context);
        var deleted = await Provision(() => provisioning.DeleteStoresAsync(request.AccountAddress, request.AccountUdf, context.CancellationToken));
        return new DeleteStoresReply { Deleted = deleted };
    }

    async Task<MeshReply> HandleAsync<TRequest, TResponse>(MeshCall call, ServerCallContext context,
        Func<SyncCaller, string, TRequest, Task<MeshReply>> handle)
        where TRequest : MeshRequestUser
        where TResponse : MeshResponse, new()
    {
        var principal = Principal.From(context.RequestHeaders)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the call carries no principal (mesh-principal-bin)"));
        if (principal.Mode is AuthenticationMode.Unspecified or AuthenticationMode.Null || principal.AccountAddress.Length == 0)
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"{typeof(TRequest).Name} needs a device authenticated for an account"));
        if (principal.DeviceUdf.Length == 0 || principal.AccountUdf.Length == 0)
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the principal for '{principal.AccountAddress}' names no device or no account UDF"));
        var caller = new SyncCaller(principal.AccountAddress, principal.AccountUdf, principal.DeviceUdf);
        var request = Parse<TRequest>(call);
        var account = request.Account ?? principal.AccountAddress;
        if (!string.Equals(account, principal.AccountAddress, StringComparison.OrdinalIgnoreCase))
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the principal acts for '{principal.AccountAddress}', not for '{account}'"));
        try
        {
            return await handle(caller, principal.AccountAddress, request);
        }
        catch (SyncRequestException e)
        {
            return Reply(new TResponse { Status = e.Status, StatusDescription = e.Message });
        }
    }

    static T Parse<T>(MeshCall call) where T : MeshItem
    {
        try
        {
            return MeshJson.Deserialize<T>(call.Payload.Span);
        }
        catch (Exception e) when (e is JsonException or MeshException or InvalidCastException or InvalidOperationException or NotSupportedException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"payload is not a {{\"{MeshSchemaTags.TagOf(typeof(T))}\":{{...}}}} object: {e.Message}"));
        }
    }

    static MeshReply Reply(MeshResponse response) => new() { Payload = ByteString.CopyFrom(MeshJson.Serialize(response)) };

    // Store creation is for the account service; the gateway forwards device principals and is never a caller here.
    static void RefuseGatewayCaller(ServerCallContext context)
    {
        if (Principal.From(context.RequestHeaders) is not null)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "stores are created and deleted by the account service, not on behalf of a device"));
    }

    static async Task<int> Provision(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (SyncRequestException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
    }
}
