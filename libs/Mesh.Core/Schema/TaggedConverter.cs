using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Core.Schema;

/// <summary>Marks the converters of fields whose value is written as <c>{"TypeName":{...}}</c>.</summary>
public interface ITaggedConverter
{
    bool IsList { get; }
}

/// <summary>A field of variable type: <c>{"TypeName":{...}}</c>, the tag naming a subclass of <typeparamref name="TBase"/>.</summary>
public sealed class TaggedConverter<TBase> : JsonConverter<TBase>, ITaggedConverter where TBase : MeshItem
{
    public bool IsList => false;

    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (TBase)Tagged.Read(ref reader, options, typeof(TBase));

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options) =>
        Tagged.Write(writer, value, options);
}

/// <summary>A list of variable-type values, each <c>{"TypeName":{...}}</c>.</summary>
public sealed class TaggedListConverter<TBase> : JsonConverter<List<TBase>>, ITaggedConverter where TBase : MeshItem
{
    public bool IsList => true;

    public override List<TBase>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an array of tagged objects");
        var list = new List<TBase>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add((TBase)Tagged.Read(ref reader, options, typeof(TBase)));
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<TBase> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value) Tagged.Write(writer, item, options);
        writer.WriteEndArray();
    }
}

static class Tagged
{
    public static MeshItem Read(ref Utf8JsonReader reader, JsonSerializerOptions options, Type baseType)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"expected {{\"TypeName\":{{...}}}} for a {baseType.Name}");
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) throw new JsonException($"empty tagged object where a {baseType.Name} is expected");
        var tag = reader.GetString()!;
        if (!MeshSchemaTags.TryGetType(tag, out var type)) throw new JsonException($"unknown type tag '{tag}'");
        if (!baseType.IsAssignableFrom(type)) throw new JsonException($"type tag '{tag}' is not a {baseType.Name}");
        reader.Read();
        var value = (MeshItem?)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(type))
            ?? throw new JsonException($"null value under type tag '{tag}'");
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject) throw new JsonException($"tagged object '{tag}' has more than one field");
        return value;
    }

    public static void Write(Utf8JsonWriter writer, MeshItem value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(value.MeshTag);
        JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
        writer.WriteEndObject();
    }
}
