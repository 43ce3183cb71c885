using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Mesh.Core.Dare;

/// <summary>JSON helpers shared by the DARE header, trailer and envelope readers.</summary>
internal static class DareJson
{
    /// <summary>
    /// Decodes base64url. The reference encoder wraps long values with a line break and spaces
    /// inside the JSON string, so whitespace is skipped; padding is accepted but not required.
    /// </summary>
    public static byte[] DecodeBase64Url(string text, string field)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is ' ' or '\n' or '\r' or '\t') continue;
            if (c == '=') continue;
            clean.Append(c switch { '+' => '-', '/' => '_', _ => c });
        }
        try
        {
            return Base64Url.DecodeFromChars(clean.ToString());
        }
        catch (FormatException e)
        {
            throw new MeshFormatException($"DARE field '{field}' is not valid base64url", e);
        }
    }

    public static string EncodeBase64Url(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    public static JsonElement ParseDocument(ReadOnlySpan<byte> utf8, string what)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw new MeshFormatException($"{what} is not valid UTF-8");
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new MeshFormatException($"{what} is not well-formed JSON: {e.Message}", e);
        }
    }

    public static string? GetString(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new MeshFormatException($"DARE field '{name}' must be a string");
        return value.GetString();
    }

    public static byte[]? GetBinary(JsonElement obj, string name)
    {
        var text = GetString(obj, name);
        return text is null ? null : DecodeBase64Url(text, name);
    }

    public static long? GetInteger(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n))
            throw new MeshFormatException($"DARE field '{name}' must be an integer");
        return n;
    }

    public static bool? GetBoolean(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new MeshFormatException($"DARE field '{name}' must be a boolean"),
        };
    }

    public static JsonElement? GetObject(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw new MeshFormatException($"DARE field '{name}' must be an object");
        return value;
    }

    public static List<T>? GetArray<T>(JsonElement obj, string name, Func<JsonElement, T> read)
    {
        if (!TryGet(obj, name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw new MeshFormatException($"DARE field '{name}' must be an array");
        var list = new List<T>();
        foreach (var item in value.EnumerateArray()) list.Add(read(item));
        return list;
    }

    public static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new MeshFormatException($"{what} must be a JSON object");
    }

    /// <summary>Field names are matched ignoring case: the texts spell some tags both ways (annotations/Annotations).</summary>
    static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    public static void WriteBinary(Utf8JsonWriter writer, string name, byte[]? value)
    {
        if (value is not null) writer.WriteString(name, EncodeBase64Url(value));
    }

    public static void WriteInteger(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is not null) writer.WriteNumber(name, value.Value);
    }

    public static void WriteBoolean(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is not null) writer.WriteBoolean(name, value.Value);
    }

    public static void WriteRaw(Utf8JsonWriter writer, string name, JsonElement? value)
    {
        if (value is null) return;
        writer.WritePropertyName(name);
        value.Value.WriteTo(writer);
    }

    public static byte[] ToUtf8(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
