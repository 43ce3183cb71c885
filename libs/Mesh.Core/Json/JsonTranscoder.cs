using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mesh.Core.Json;

/// <summary>
/// Token-stream conversion between JSON and JSON-B/JSON-C, without building an object model.
/// JSON-B binary items become base64url strings in JSON; with a <see cref="SchemaShape"/> the way
/// back writes the schema's binary fields as JSON-B binary items again.
/// </summary>
public static class JsonTranscoder
{
    static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Converts JSON, JSON-B or JSON-C to compact JSON.</summary>
    public static byte[] ToJson(ReadOnlySpan<byte> input, JsonCDictionaryResolver? dictionaries = null)
    {
        var output = new ArrayBufferWriter<byte>(input.Length + input.Length / 3 + 16);
        ToJson(input, output, dictionaries);
        return output.WrittenSpan.ToArray();
    }

    public static void ToJson(ReadOnlySpan<byte> input, IBufferWriter<byte> output, JsonCDictionaryResolver? dictionaries = null)
    {
        var reader = new MeshJsonReader(input, dictionaries);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        byte[]? base64 = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case MeshJsonTokenType.StartObject: writer.WriteStartObject(); break;
                case MeshJsonTokenType.EndObject: writer.WriteEndObject(); break;
                case MeshJsonTokenType.StartArray: writer.WriteStartArray(); break;
                case MeshJsonTokenType.EndArray: writer.WriteEndArray(); break;
                case MeshJsonTokenType.PropertyName: writer.WritePropertyName(reader.ValueSpan); break;
                case MeshJsonTokenType.String: writer.WriteStringValue(reader.ValueSpan); break;
                case MeshJsonTokenType.Binary:
                    var length = Base64Url.EncodedLength(reader.ValueSpan.Length);
                    if (base64 is null || base64.Length < length) base64 = new byte[Math.Max(length, 256)];
                    Base64Url.EncodeUtf8(reader.ValueSpan, base64);
                    writer.WriteStringValue(base64.AsSpan(0, length));
                    break;
                case MeshJsonTokenType.Integer:
                    if (reader.NumberIsText) writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    else if (reader.IntegerIsBig) writer.WriteRawValue(reader.BigIntegerValue.ToString(System.Globalization.CultureInfo.InvariantCulture), skipInputValidation: true);
                    else if (reader.IntegerIsNegative) writer.WriteRawValue("-" + reader.IntegerMagnitude.ToString(System.Globalization.CultureInfo.InvariantCulture), skipInputValidation: true);
                    else writer.WriteNumberValue(reader.IntegerMagnitude);
                    break;
                case MeshJsonTokenType.Float:
                    if (reader.NumberIsText) writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    else if (!double.IsFinite(reader.FloatValue)) throw new MeshFormatException($"JSON-B: float {reader.FloatValue} has no JSON form");
                    else writer.WriteNumberValue(reader.FloatValue);
                    break;
                case MeshJsonTokenType.True: writer.WriteBooleanValue(true); break;
                case MeshJsonTokenType.False: writer.WriteBooleanValue(false); break;
                case MeshJsonTokenType.Null: writer.WriteNullValue(); break;
            }
        }
    }

    /// <summary>Converts JSON (or JSON-B/JSON-C) to JSON-B, or JSON-C when <paramref name="encoding"/> says so.</summary>
    public static byte[] ToJsonB(ReadOnlySpan<byte> input, SchemaShape.Value? root = null, MeshEncoding encoding = MeshEncoding.JsonB)
    {
        var output = new ArrayBufferWriter<byte>(input.Length + 16);
        ToJsonB(input, new JsonBWriter(output, encoding == MeshEncoding.JsonC), root);
        return output.WrittenSpan.ToArray();
    }

    public static void ToJsonB(ReadOnlySpan<byte> input, JsonBWriter writer, SchemaShape.Value? root = null)
    {
        var reader = new MeshJsonReader(input);
        var walker = new SchemaShape.Walker(root ?? SchemaShape.Value.Untyped);
        byte[]? binary = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case MeshJsonTokenType.StartObject: walker.StartObject(); writer.WriteStartObject(); break;
                case MeshJsonTokenType.EndObject: walker.End(); writer.WriteEndObject(); break;
                case MeshJsonTokenType.StartArray: walker.StartArray(); writer.WriteStartArray(); break;
                case MeshJsonTokenType.EndArray: walker.End(); writer.WriteEndArray(); break;
                case MeshJsonTokenType.PropertyName: walker.Name(reader.ValueSpan); writer.WritePropertyName(reader.ValueSpan); break;
                case MeshJsonTokenType.String:
                    if (walker.NextValueIsBinary())
                    {
                        if (binary is null || binary.Length < reader.ValueSpan.Length) binary = new byte[Math.Max(reader.ValueSpan.Length, 256)];
                        int n;
                        try
                        {
                            n = Base64Url.Decode(reader.ValueSpan, binary);
                        }
                        catch (MeshFormatException e)
                        {
                            throw new MeshFormatException($"binary field {walker.FieldName}: {e.Message}", e);
                        }
                        writer.WriteBinary(binary.AsSpan(0, n));
                    }
                    else writer.WriteString(reader.ValueSpan);
                    break;
                case MeshJsonTokenType.Binary: walker.Scalar(); writer.WriteBinary(reader.ValueSpan); break;
                case MeshJsonTokenType.Integer:
                    walker.Scalar();
                    if (reader.IntegerIsBig) writer.WriteInteger(reader.BigIntegerValue);
                    else if (reader.IntegerIsNegative) writer.WriteInteger(-(System.Numerics.BigInteger)reader.IntegerMagnitude);
                    else writer.WriteUnsigned(reader.IntegerMagnitude);
                    break;
                case MeshJsonTokenType.Float: walker.Scalar(); writer.WriteFloat(reader.FloatValue); break;
                case MeshJsonTokenType.True: walker.Scalar(); writer.WriteBoolean(true); break;
                case MeshJsonTokenType.False: walker.Scalar(); writer.WriteBoolean(false); break;
                case MeshJsonTokenType.Null: walker.Scalar(); writer.WriteNull(); break;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="input"/> is plain JSON that System.Text.Json reads as it is: no
    /// JSON-B/JSON-C bytes outside strings and no raw line breaks inside them.
    /// </summary>
    public static bool IsPlainJson(ReadOnlySpan<byte> input)
    {
        var inString = false;
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            if (inString)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inString = false;
                else if (b < 0x20) return false;
            }
            else if (b == (byte)'"') inString = true;
            else if (b >= 0x80) return false;
        }
        return true;
    }
}
