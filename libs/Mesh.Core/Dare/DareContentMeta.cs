using System.Globalization;
using System.Text.Json;

namespace Mesh.Core.Dare;

/// <summary>
/// The ContentMeta structure of the DARE schema, carried JSON-encoded in a header's
/// ContentMetaData. Catalogs and spools key their entries on <see cref="UniqueId"/> and say what a
/// frame does in <see cref="Event"/> (the reference writes <c>{"UniqueId":..,"Event":"New"}</c>,
/// ProtocolUpload.md); <see cref="First"/>/<see cref="Previous"/> link the instances of one object.
/// </summary>
public sealed class DareContentMeta : DareObject
{
    static readonly HashSet<string> Known = Names("UniqueId", "Labels", "KeyValues", "MessageType", "cty", "ContentType",
        "Paths", "Filename", "Event", "Created", "Modified", "Expire", "First", "Previous");

    public string? UniqueId { get; set; }
    public List<string>? Labels { get; set; }
    public List<KeyValuePair<string, string?>>? KeyValues { get; set; }
    public string? MessageType { get; set; }
    /// <summary>Written as <c>cty</c>, as the reference examples do; <c>ContentType</c> is read too.</summary>
    public string? ContentType { get; set; }
    public List<string>? Paths { get; set; }
    public string? Filename { get; set; }
    public string? Event { get; set; }
    public DateTime? Created { get; set; }
    public DateTime? Modified { get; set; }
    public DateTime? Expire { get; set; }
    /// <summary>Frame index of the first instance of this object.</summary>
    public long? First { get; set; }
    /// <summary>Frame index of the instance immediately before this one.</summary>
    public long? Previous { get; set; }

    public static DareContentMeta Read(JsonElement obj)
    {
        DareJson.RequireObject(obj, "ContentMeta");
        var m = new DareContentMeta
        {
            UniqueId = DareJson.GetString(obj, "UniqueId"),
            Labels = DareJson.GetArray(obj, "Labels", e => StringItem(e, "Labels")),
            KeyValues = DareJson.GetArray(obj, "KeyValues", ReadKeyValue),
            MessageType = DareJson.GetString(obj, "MessageType"),
            ContentType = DareJson.GetString(obj, "cty") ?? DareJson.GetString(obj, "ContentType"),
            Paths = DareJson.GetArray(obj, "Paths", e => StringItem(e, "Paths")),
            Filename = DareJson.GetString(obj, "Filename"),
            Event = DareJson.GetString(obj, "Event"),
            Created = Date(obj, "Created"),
            Modified = Date(obj, "Modified"),
            Expire = Date(obj, "Expire"),
            First = DareJson.GetInteger(obj, "First"),
            Previous = DareJson.GetInteger(obj, "Previous"),
        };
        m.ReadExtensions(obj, Known);
        return m;
    }

    public static DareContentMeta FromJson(ReadOnlySpan<byte> utf8) => Read(DareJson.ParseDocument(utf8, "ContentMetaData"));

    public byte[] ToJson() => DareJson.ToUtf8(Write);

    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        DareJson.WriteString(writer, "UniqueId", UniqueId);
        WriteStrings(writer, "Labels", Labels);
        if (KeyValues is not null)
        {
            writer.WriteStartArray("KeyValues");
            foreach (var (key, value) in KeyValues)
            {
                writer.WriteStartObject();
                writer.WriteString("Key", key);
                DareJson.WriteString(writer, "Value", value);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        DareJson.WriteString(writer, "MessageType", MessageType);
        DareJson.WriteString(writer, "cty", ContentType);
        WriteStrings(writer, "Paths", Paths);
        DareJson.WriteString(writer, "Filename", Filename);
        DareJson.WriteString(writer, "Event", Event);
        WriteDate(writer, "Created", Created);
        WriteDate(writer, "Modified", Modified);
        WriteDate(writer, "Expire", Expire);
        DareJson.WriteInteger(writer, "First", First);
        DareJson.WriteInteger(writer, "Previous", Previous);
        WriteExtensions(writer);
        writer.WriteEndObject();
    }

    static string StringItem(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new MeshFormatException($"ContentMeta field '{field}' must hold strings");

    static KeyValuePair<string, string?> ReadKeyValue(JsonElement e)
    {
        DareJson.RequireObject(e, "ContentMeta KeyValues item");
        var key = DareJson.GetString(e, "Key") ?? throw new MeshFormatException("ContentMeta KeyValues item has no Key");
        return new(key, DareJson.GetString(e, "Value"));
    }

    static DateTime? Date(JsonElement obj, string name)
    {
        var text = DareJson.GetString(obj, name);
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            throw new MeshFormatException($"ContentMeta field '{name}' is not an RFC 3339 date: '{text}'");
        return value.UtcDateTime;
    }

    static void WriteDate(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is not null) writer.WriteString(name, value.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    static void WriteStrings(Utf8JsonWriter writer, string name, List<string>? values)
    {
        if (values is null) return;
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}
