using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mesh.Core.Schema;

namespace Mesh.Core.Json;

/// <summary>
/// Reads and writes schema objects in the Mesh JSON conventions (protocol -09 §5.4) and their
/// JSON-B/JSON-C forms. Objects of variable type travel as <c>{"TypeName":{...}}</c>.
/// </summary>
public static class MeshJson
{
    /// <summary>Options over the source-generated <see cref="MeshSchemaContext"/>.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = MeshSchemaContext.Default,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            MaxDepth = 64,
        };
        options.Converters.Add(new Base64UrlConverter());
        options.Converters.Add(new Rfc3339DateTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Writes <paramref name="item"/> as <c>{"Tag":{...}}</c> in the requested encoding.</summary>
    public static byte[] Serialize(MeshItem item, MeshEncoding encoding = MeshEncoding.Json)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = Options.Encoder }))
            Tagged.Write(writer, item, Options);
        return encoding == MeshEncoding.Json
            ? json.WrittenSpan.ToArray()
            : JsonTranscoder.ToJsonB(json.WrittenSpan, SchemaShape.Value.Tagged, encoding);
    }

    /// <summary>Writes <paramref name="item"/> as a plain object (its type known to the reader).</summary>
    public static byte[] SerializeUntagged<T>(T item, MeshEncoding encoding = MeshEncoding.Json) where T : MeshItem
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(item, Options.GetTypeInfo(item.GetType()));
        return encoding == MeshEncoding.Json ? json : JsonTranscoder.ToJsonB(json, SchemaShape.Value.ObjectOf(item.GetType()), encoding);
    }

    /// <summary>Writes the tagged form of <paramref name="item"/> into an existing JSON writer.</summary>
    public static void WriteTagged(Utf8JsonWriter writer, MeshItem item) => Tagged.Write(writer, item, Options);

    /// <summary>Reads <c>{"Tag":{...}}</c> in JSON, JSON-B or JSON-C.</summary>
    public static MeshItem Deserialize(ReadOnlySpan<byte> data) => Deserialize<MeshItem>(data);

    /// <summary>Reads <c>{"Tag":{...}}</c>; the tag must name <typeparamref name="T"/> or a subclass.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> data) where T : MeshItem
    {
        var json = AsJson(data);
        return Run(json, static (ref Utf8JsonReader r) =>
        {
            r.Read();
            var item = (T)Tagged.Read(ref r, Options, typeof(T));
            if (r.Read()) throw new JsonException("data after the tagged object");
            return item;
        });
    }

    /// <summary>Reads a plain object of known type in JSON, JSON-B or JSON-C.</summary>
    public static T DeserializeUntagged<T>(ReadOnlySpan<byte> data) where T : MeshItem
    {
        var json = AsJson(data);
        return Run(json, static (ref Utf8JsonReader r) =>
            (T?)JsonSerializer.Deserialize(ref r, Options.GetTypeInfo(typeof(T))) ?? throw new JsonException($"null where a {typeof(T).Name} is expected"));
    }

    /// <summary>The input as plain JSON: itself when it already is, else transcoded.</summary>
    public static ReadOnlySpan<byte> AsJson(ReadOnlySpan<byte> data) =>
        JsonTranscoder.IsPlainJson(data) ? data : JsonTranscoder.ToJson(data);

    delegate T ReadFunc<T>(ref Utf8JsonReader reader);

    static T Run<T>(ReadOnlySpan<byte> json, ReadFunc<T> read)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            return read(ref reader);
        }
        catch (JsonException e)
        {
            var where = string.IsNullOrEmpty(e.Path) ? "" : $" (field {e.Path})";
            throw new MeshFormatException($"JSON: {e.Message}{where}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new MeshFormatException($"JSON: {e.Message} (at byte {reader.BytesConsumed})", e);
        }
    }
}
