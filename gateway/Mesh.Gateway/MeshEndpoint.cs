using System.Diagnostics;
using Grpc.Core;
using Google.Protobuf;
using Mesh.Common.V1;
using Mesh.Core.Protocol;
using HelloRequest = Mesh.Core.Schema.HelloRequest;
using Mesh.Gateway.Authentication;
using Mesh.Gateway.Dispatch;
using Mesh.Gateway.HostKey;
using Mesh.Gateway.Wire;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Gateway;

/// <summary>
/// POST /.well-known/mmm: read and check the body, parse the envelope, authenticate, dispatch by
/// request tag over gRPC, and answer with a host-signed envelope whose HTTP status mirrors Status.
/// </summary>
public sealed class MeshEndpoint(GatewayBackends backends, HelloCache helloCache, HostCredentialProvider host, RequestAuthenticator authenticator,
    AuthenticationSettings settings, TimeProvider clock, IConfiguration configuration, ILogger<MeshEndpoint> logger)
{
    public const string Path = "/.well-known/mmm";

    /// <summary>Default body limit: room for a 64 KB message plus envelope and encoding overhead.</summary>
    public const int DefaultMaxRequestBytes = 1 << 20;

    /// <summary>How long a service may take to answer one transaction.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    private readonly int _maxRequestBytes = ReadLimit(configuration);

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers[ResponseWriter.RequestIdHeader] = context.TraceIdentifier;
        var mediaType = MeshMediaType.Parse(context.Request.ContentType);
        string transaction = "-";
        string? problem = null;
        byte[] reply;
        var answer = new ResponseContext(null, null, null);
        try
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.Headers.Allow = "POST";
                throw new MeshWireException(StatusCodes.Status405MethodNotAllowed, $"Method {context.Request.Method} is not allowed: Mesh requests are POST.");
            }
            if (mediaType is null)
                throw new MeshWireException(StatusCodes.Status415UnsupportedMediaType,
                    $"Content type '{context.Request.ContentType}' is not accepted: use {string.Join(", ", MeshMediaType.All.Select(m => m.Name))}.");
            var body = await BodyReader.ReadAsync(context.Request, _maxRequestBytes, context.RequestAborted);
            var signer = host.Current
                ?? throw new MeshWireException(StatusCodes.Status503ServiceUnavailable, "The gateway has no host credential yet.");
            var request = ParsedRequest.Parse(body, mediaType, signer.Decryption);
            // A signed request is answered with a ResponseManifest naming its EnvelopeId, even when refused.
            if (request.Envelope is { Signatures.Count: > 0 } signed) answer = answer with { RequestId = signed.Header.EnvelopeId };
            var entry = TransactionTable.Find(request.Request)
                ?? throw new MeshWireException(StatusCodes.Status400BadRequest, $"{request.Request.MeshTag} is not a request this service answers.");
            transaction = entry.Name;
            var authentication = await authenticator.AuthenticateAsync(request, entry, context.Request.IsHttps, signer, context.RequestAborted);
            if (authentication.Request is { } authenticated && !context.Request.IsHttps)
                answer = answer with { EncryptTo = authenticated.DeviceRecipient() };
            var invoke = entry.Invoke
                ?? throw new MeshWireException(StatusCodes.Status501NotImplemented, $"The {entry.Name} transaction is not served yet.");
            var hello = request.Request is HelloRequest;
            if (!hello || !helloCache.TryGet(out reply))
            {
                reply = await CallAsync(invoke, request, authentication.Principal, context.RequestAborted);
                if (hello) helloCache.Keep(reply);
            }
            if (authentication.Request is { Mode: RequestModes.Profile } profile && ResponseWriter.ReadStatus(reply) is >= 200 and < 300)
                answer = answer with { Grant = SessionKeyGrant.Issue(profile, settings.TicketKeys, clock.GetUtcNow().UtcDateTime, settings.TicketLifetime) };
        }
        catch (MeshWireException e)
        {
            problem = e.Message;
            reply = ResponseWriter.Error(e.Status, problem);
        }
        catch (RpcException e)
        {
            problem = $"{transaction}: {e.Status.Detail}";
            reply = ResponseWriter.Error(StatusMapping.ToMeshStatus(e.StatusCode), problem);
        }
        await ResponseWriter.WriteAsync(context, mediaType ?? MeshMediaType.Json, reply, host.Current, answer);
        // Refusals and failures are what an operator looks for; a line per answered request would cost
        // more than a Hello itself (Debug turns it on: Logging__LogLevel__Mesh.Gateway.MeshEndpoint=Debug).
        if (problem is not null)
            logger.LogInformation("Mesh {Transaction} answered {Status}: {Problem}", transaction, context.Response.StatusCode, problem);
        else if (context.Response.StatusCode >= 400)
            logger.LogInformation("Mesh {Transaction} answered {Status}", transaction, context.Response.StatusCode);
        else
            logger.LogDebug("Mesh {Transaction} answered {Status}", transaction, context.Response.StatusCode);
    }

    private static int ReadLimit(IConfiguration configuration)
    {
        var value = configuration[ConfigKeys.MaxRequestBytes];
        if (string.IsNullOrWhiteSpace(value)) return DefaultMaxRequestBytes;
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new MeshConfigurationException($"Configuration '{ConfigKeys.MaxRequestBytes}' = '{value}' is not a positive number of bytes.");
    }

    private async Task<byte[]> CallAsync(Func<GatewayBackends, MeshCall, CallOptions, Task<MeshReply>> invoke, ParsedRequest request,
        Principal principal, CancellationToken cancellationToken)
    {
        var metadata = new Metadata();
        principal.AddTo(metadata);
        // W3C trace context of this request, so the service's spans join the caller's trace.
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            metadata.Add("traceparent", activity.Id!);
            if (!string.IsNullOrEmpty(activity.TraceStateString)) metadata.Add("tracestate", activity.TraceStateString);
        }
        var options = new CallOptions(metadata, DateTime.UtcNow.Add(CallTimeout), cancellationToken);
        var reply = await invoke(backends, new MeshCall { Payload = ByteString.CopyFrom(request.Json) }, options);
        return reply.Payload.ToByteArray();
    }
}
