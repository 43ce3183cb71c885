using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesh.Core.Json;

/// <summary>Binary fields: base64url without padding on write; any base64 form on read.</summary>
public sealed class Base64UrlConverter : JsonConverter<byte[]>
{
    public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected base64url text for a binary field");
        try
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence) return Base64Url.Decode(reader.ValueSpan);
            return Base64Url.Decode(reader.GetString()!);
        }
        catch (MeshFormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options)
    {
        var length = Base64Url.EncodedLength(value.Length);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Base64Url.EncodeUtf8(value, buffer);
        writer.WriteStringValue(buffer);
    }
}

/// <summary>Date-time fields as RFC 3339 UTC (<c>2021-08-05T16:37:29Z</c>); fractions only when present.</summary>
public sealed class Rfc3339DateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected an RFC 3339 date-time string");
        var text = reader.GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            || text.Length < 20 || text[10] is not ('T' or 't'))
            throw new JsonException($"'{text}' is not an RFC 3339 date-time");
        return value.UtcDateTime;
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
        writer.WriteStringValue(utc.ToString(format, CultureInfo.InvariantCulture));
    }
}
