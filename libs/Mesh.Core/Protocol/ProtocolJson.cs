using System.Text.Json;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Protocol;

/// <summary>The manifests' and tickets' JSON, and envelopes carried inside them.</summary>
public static class ProtocolJson
{
    public static byte[] Serialize(RequestManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(new RequestManifestDocument { Body = manifest }, ProtocolJsonContext.Default.RequestManifestDocument);

    public static byte[] Serialize(ResponseManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(new ResponseManifestDocument { Body = manifest }, ProtocolJsonContext.Default.ResponseManifestDocument);

    public static RequestManifest ReadRequestManifest(ReadOnlySpan<byte> json) =>
        Read(json, "RequestManifest", static j => JsonSerializer.Deserialize(j, ProtocolJsonContext.Default.RequestManifestDocument)?.Body);

    public static ResponseManifest ReadResponseManifest(ReadOnlySpan<byte> json) =>
        Read(json, "ResponseManifest", static j => JsonSerializer.Deserialize(j, ProtocolJsonContext.Default.ResponseManifestDocument)?.Body);

    internal static byte[] Serialize(TicketContent content) =>
        JsonSerializer.SerializeToUtf8Bytes(content, ProtocolJsonContext.Default.TicketContent);

    internal static TicketContent ReadTicket(ReadOnlySpan<byte> json) =>
        Read(json, "ticket", static j => JsonSerializer.Deserialize(j, ProtocolJsonContext.Default.TicketContent));

    /// <summary>The JSON form (<c>[header, payload, trailer]</c>) of an envelope as a schema field.</summary>
    public static Enveloped ToEnveloped(DareEnvelope envelope) =>
        JsonSerializer.Deserialize(envelope.ToJson(), (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Enveloped>)MeshJson.Options.GetTypeInfo(typeof(Enveloped)))
        ?? throw new MeshFormatException("envelope did not convert");

    public static DareEnvelope FromEnveloped(Enveloped enveloped, string what)
    {
        try
        {
            return DareEnvelope.Decode(JsonSerializer.SerializeToUtf8Bytes(enveloped, MeshJson.Options.GetTypeInfo(typeof(Enveloped))));
        }
        catch (MeshException e)
        {
            throw new MeshFormatException($"{what} is not a DARE envelope: {e.Message}", e);
        }
    }

    delegate T? Reader<T>(ReadOnlySpan<byte> json);

    static T Read<T>(ReadOnlySpan<byte> json, string what, Reader<T> read) where T : class
    {
        try
        {
            return read(json) ?? throw new MeshFormatException($"{what} is missing");
        }
        catch (JsonException e)
        {
            throw new MeshFormatException($"{what} is not well-formed JSON: {e.Message}", e);
        }
    }
}
