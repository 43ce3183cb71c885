using System.Net.Http.Headers;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Protocol;

/// <summary>
/// The request and response content types of /.well-known/mmm (docs/wire-binding.md). The content
/// type names the payload encoding; JSON carries the envelope payload as base64url, JSON-B and
/// JSON-C as a JSON-B binary data item. The response uses the request's content type.
/// </summary>
public sealed record MeshMediaType(string Name, MeshEncoding PayloadEncoding, DareEncoding EnvelopeEncoding)
{
    public static readonly MeshMediaType Json = new("application/json", MeshEncoding.Json, DareEncoding.Json);
    public static readonly MeshMediaType JsonB = new("application/json-b", MeshEncoding.JsonB, DareEncoding.JsonB);
    public static readonly MeshMediaType JsonC = new("application/json-c", MeshEncoding.JsonC, DareEncoding.JsonB);

    public static readonly IReadOnlyList<MeshMediaType> All = [Json, JsonB, JsonC];

    /// <summary>The media type of a Content-Type header (parameters ignored), or null when it is not one of ours.</summary>
    public static MeshMediaType? Parse(string? contentType)
    {
        if (contentType is null) return null;
        // The common case, a bare media type, without parsing the header.
        foreach (var media in All)
            if (contentType.Equals(media.Name, StringComparison.OrdinalIgnoreCase)) return media;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null) return null;
        return All.FirstOrDefault(m => parsed.MediaType.Equals(m.Name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The media type a user names: its content type or its short form (json, json-b, json-c).</summary>
    public static MeshMediaType? FromName(string name) =>
        All.FirstOrDefault(m => name.Equals(m.Name, StringComparison.OrdinalIgnoreCase)
                                || name.Equals(m.Name["application/".Length..], StringComparison.OrdinalIgnoreCase));

    public byte[] Serialize(MeshItem item) => MeshJson.Serialize(item, PayloadEncoding);

    public byte[] Serialize(DareEnvelope envelope) => envelope.ToBytes(EnvelopeEncoding);
}
