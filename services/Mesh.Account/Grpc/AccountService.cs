using Google.Protobuf;
using Grpc.Core;
using System.Text.Json;
using Mesh.Account.Domain;
using Mesh.Account.Profiles;
using Mesh.Account.V1;
using Mesh.Common.V1;
using Mesh.Core;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using HelloRequest = Mesh.Core.Schema.HelloRequest;
using Status = Grpc.Core.Status;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Account.Grpc;

/// <summary>Maps the account service's RPCs to the profile logic; the Mesh payloads are JSON (ADR 0002).</summary>
public sealed class AccountService(ServiceCredentials credentials, AccountBinding binding, ILogger<AccountService> logger) : V1.Account.AccountBase
{
    public override async Task<MeshReply> BindAccount(MeshCall request, ServerCallContext context)
    {
        var principal = RequirePrincipal(context, "BindAccount", AuthenticationMode.Device, AuthenticationMode.Profile, AuthenticationMode.Ticket);
        var bind = Parse<BindRequest>(request);
        try
        {
            return Reply(await binding.BindAsync(bind, context.CancellationToken));
        }
        catch (AccountRequestException e)
        {
            logger.LogInformation("BindAccount of {Address} by device {Device} refused ({Status}): {Problem}",
                bind.AccountAddress, principal.DeviceUdf, e.Status, e.Message);
            return Reply(new BindResponse { Status = e.Status, StatusDescription = e.Message });
        }
    }

    public override async Task<MeshReply> UnbindAccount(MeshCall request, ServerCallContext context)
    {
        var principal = RequirePrincipal(context, "UnbindAccount", AuthenticationMode.Profile, AuthenticationMode.Ticket);
        if (principal.AccountAddress.Length == 0 || principal.AccountUdf.Length == 0)
            throw new RpcException(new Status(StatusCode.Unauthenticated, "UnbindAccount needs a principal naming the account and its UDF"));
        var unbind = Parse<UnbindRequest>(request);
        try
        {
            return Reply(await binding.UnbindAsync(new AccountCaller(principal.AccountAddress, principal.AccountUdf), unbind, context.CancellationToken));
        }
        catch (AccountRequestException e)
        {
            return Reply(new UnbindResponse { Status = e.Status, StatusDescription = e.Message });
        }
    }

    public override async Task<AccountRecord> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        var row = await binding.GetAsync(request.AccountAddress, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no account is bound at '{request.AccountAddress}'"));
        return new AccountRecord
        {
            AccountAddress = row.Address,
            AccountUdf = row.AccountUdf,
            EnvelopedProfileAccount = ByteString.CopyFrom(row.ProfileEnvelope),
        };
    }

    static Principal RequirePrincipal(ServerCallContext context, string transaction, params AuthenticationMode[] modes)
    {
        var principal = Principal.From(context.RequestHeaders);
        if (principal is null || !modes.Contains(principal.Mode))
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"{transaction} needs {string.Join(" or ", modes.Select(m => m.ToString()))} authentication; the call carries {principal?.Mode.ToString() ?? "no principal"}"));
        return principal;
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

    public override Task<MeshReply> Hello(MeshCall request, ServerCallContext context)
    {
        try
        {
            MeshJson.Deserialize<HelloRequest>(request.Payload.Span);
        }
        catch (MeshFormatException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Hello payload is not a HelloRequest: {e.Message}"));
        }
        var loaded = Require();
        // Debug, not Information: Hello is the discovery call every client makes, and the gateway logs each request.
        logger.LogDebug("Hello answered with service profile {ServiceUdf}", loaded.Service.Header.EnvelopeId);
        return Task.FromResult(new MeshReply { Payload = UnsafeByteOperations.UnsafeWrap(loaded.HelloResponse) });
    }

    public override Task<HostCredential> GetHostCredential(HostCredentialRequest request, ServerCallContext context)
    {
        var loaded = Require();
        return Task.FromResult(new HostCredential
        {
            EnvelopedProfileHost = ByteString.CopyFrom(loaded.Host.ToJson()),
            SignatureKeyUdf = loaded.HostSignature.Udf,
            SignatureAlgorithm = loaded.HostSignature.Algorithm,
            // Already sealed under the shared key-encryption key with the UDF as associated data.
            SealedSignatureKey = ByteString.CopyFrom(loaded.HostSignature.SealedPrivateKey),
            ServiceUdf = loaded.Service.Header.EnvelopeId ?? "",
            EncryptionKeyUdf = loaded.HostEncryption?.Udf ?? "",
            EncryptionAlgorithm = loaded.HostEncryption?.Algorithm ?? "",
            SealedEncryptionKey = ByteString.CopyFrom(loaded.HostEncryption?.SealedPrivateKey ?? []),
        });
    }

    private ServiceCredentials.Loaded Require() => credentials.Current
        ?? throw new RpcException(new Status(StatusCode.Unavailable, "The service and host profiles are not loaded yet."));
}
