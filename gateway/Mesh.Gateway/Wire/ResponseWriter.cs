using System.Text.Json;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using MeshResponse = Mesh.Core.Schema.MeshResponse;
using Mesh.Gateway.Dispatch;
using Mesh.Gateway.HostKey;

namespace Mesh.Gateway.Wire;

/// <summary>
/// What the answer to an authenticated request carries (ADR 0005): the request's EnvelopeId as
/// RequestId, a ticket grant after a Profile request, and the device key to encrypt to over plain HTTP.
/// </summary>
public sealed record ResponseContext(string? RequestId, TicketGrant? Grant, IDareRecipientKey? EncryptTo);

/// <summary>Wraps a response payload in a DARE envelope signed by the host key and writes it with the mirrored HTTP status.</summary>
public static class ResponseWriter
{
    /// <summary>Header carrying the request id that the gateway's log lines for this request also carry.</summary>
    public const string RequestIdHeader = "Mesh-Request-Id";

    /// <param name="json">The tagged response object as JSON (what services return).</param>
    public static async Task WriteAsync(HttpContext context, MeshMediaType mediaType, byte[] json, HostSigner? signer, ResponseContext? answer = null)
    {
        var status = ReadStatus(json);
        // Answers to signed requests carry a ResponseManifest; Hello's carry the plain DARE signature over
        // the payload, the same for every request (so a successful one is signed once, not per request).
        // Without the host key (the gateway is not ready yet) the envelope goes out unsigned.
        var body = signer is not null && answer?.RequestId is { } requestId
            ? ResponseEnvelope.Seal(Payload(json, mediaType), signer.Signer, requestId, answer.Grant, answer.EncryptTo).ToBytes(mediaType.EnvelopeEncoding)
            : signer is not null && status is >= 200 and < 300
                ? signer.SignedBody(json, mediaType, static (reply, media, key) => Sign(reply, media, key))
                : Sign(json, mediaType, signer);
        context.Response.StatusCode = StatusMapping.ToHttpStatus(status);
        context.Response.ContentType = mediaType.Name;
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    static byte[] Payload(byte[] json, MeshMediaType mediaType) =>
        mediaType.PayloadEncoding == MeshEncoding.Json ? json : MeshJson.Serialize(MeshJson.Deserialize(json), mediaType.PayloadEncoding);

    static byte[] Sign(byte[] json, MeshMediaType mediaType, HostSigner? signer) =>
        DareEnvelope.Encode(Payload(json, mediaType), new DareEnvelopeOptions { Signers = signer is null ? [] : [signer.Signer] })
            .ToBytes(mediaType.EnvelopeEncoding);

    /// <summary>A MeshResponse naming the problem, for requests refused at the gateway or failed services.</summary>
    public static byte[] Error(int status, string description) =>
        MeshJson.Serialize(new MeshResponse { Status = status, StatusDescription = description });

    /// <summary>The Status of a tagged response object, <c>{"Tag":{"Status":201,...}}</c>.</summary>
    public static long? ReadStatus(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) return null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isStatus = reader.ValueTextEquals("Status");
            reader.Read();
            if (isStatus) return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;
            reader.Skip();
        }
        return null;
    }
}
