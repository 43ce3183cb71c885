using System.Text.Json;
using System.Text.Json.Serialization;
using Mesh.Core.Json;

namespace Mesh.Core.Schema;

/// <summary>
/// The JSON form of a DARE envelope carried inside a schema object: <c>[header, payload, trailer]</c>.
/// Header and trailer are kept as JSON for the DARE code to interpret; the payload is the bytes the
/// envelope carries (base64url in JSON, binary data in JSON-B).
/// </summary>
[JsonConverter(typeof(EnvelopedConverter))]
public sealed class Enveloped
{
    public JsonElement Header { get; init; }

    public byte[]? Payload { get; init; }

    public JsonElement? Trailer { get; init; }

    /// <summary>Reads the payload as a tagged schema object, e.g. the ProfileService of a Hello response.</summary>
    public T DecodePayload<T>() where T : MeshItem =>
        Payload is null ? throw new MeshFormatException("Envelope has no payload") : MeshJson.Deserialize<T>(Payload);
}

public sealed class EnvelopedConverter : JsonConverter<Enveloped>
{
    public override Enveloped Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected an envelope array [header, payload, trailer]");
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("envelope does not start with a header object");
        var header = JsonElement.ParseValue(ref reader);
        byte[]? payload = null;
        JsonElement? trailer = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            payload = new Base64UrlConverter().Read(ref reader, typeof(byte[]), options);
            reader.Read();
        }
        else if (reader.TokenType == JsonTokenType.Null) reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            trailer = JsonElement.ParseValue(ref reader);
            reader.Read();
        }
        else if (reader.TokenType == JsonTokenType.Null) reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("envelope array has more than header, payload and trailer");
        return new Enveloped { Header = header, Payload = payload, Trailer = trailer };
    }

    public override void Write(Utf8JsonWriter writer, Enveloped value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        value.Header.WriteTo(writer);
        if (value.Payload is not null) new Base64UrlConverter().Write(writer, value.Payload, options);
        else if (value.Trailer is not null) writer.WriteNullValue();
        value.Trailer?.WriteTo(writer);
        writer.WriteEndArray();
    }
}
