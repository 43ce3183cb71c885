using Google.Protobuf;
using Grpc.Core;
using Mesh.Account.Profiles;
using Mesh.Account.V1;
using Mesh.Common.V1;
using Mesh.Core;
using Mesh.Core.Json;
using HelloRequest = Mesh.Core.Schema.HelloRequest;

namespace Mesh.Account.Grpc;

/// <summary>Maps the account service's RPCs to the profile logic; the Mesh payloads are JSON (ADR 0002).</summary>
public sealed class AccountService(ServiceCredentials credentials, ILogger<AccountService> logger) : V1.Account.AccountBase
{
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
        var reply = new MeshReply { Payload = ByteString.CopyFrom(MeshJson.Serialize(HelloResponder.Respond(loaded))) };
        logger.LogInformation("Hello answered with service profile {ServiceUdf}", loaded.Service.Header.EnvelopeId);
        return Task.FromResult(reply);
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
