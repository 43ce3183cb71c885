using System.Text.Json;
using System.Text.Json.Serialization;
using Mesh.Core.Json;

namespace Mesh.Sync.Domain;

/// <summary>
/// Where a Download stopped: the store, the next index and the rest of the original selection.
/// §10.4.2: with a page key every other selection field is ignored. It is not a secret; rights are
/// checked again on the store it names.
/// </summary>
public sealed record PageKey(
    [property: JsonPropertyName("s")] string Store,
    [property: JsonPropertyName("i")] long Next,
    [property: JsonPropertyName("x")] long? IndexMax,
    [property: JsonPropertyName("nb")] DateTime? NotBefore,
    [property: JsonPropertyName("b")] DateTime? Before)
{
    public string Encode() => Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(this, PageKeyContext.Default.PageKey));

    public static PageKey Decode(string text)
    {
        try
        {
            var key = JsonSerializer.Deserialize(Base64Url.Decode(text), PageKeyContext.Default.PageKey);
            if (key is null || key.Next < 0 || string.IsNullOrEmpty(key.Store)) throw new JsonException("incomplete");
            return key;
        }
        catch (Exception e) when (e is JsonException or FormatException or Mesh.Core.MeshException)
        {
            throw new SyncRequestException(MeshStatus.BadRequest, $"PageKey '{Truncate(text)}' is not a page key this service issued");
        }
    }

    static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "...";
}

[JsonSerializable(typeof(PageKey))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class PageKeyContext : JsonSerializerContext;
