using System.Buffers;
using System.Text.Json;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Sync.Domain;

/// <summary>The stored form of an envelope: the JSON envelope array [header, payload, trailer] of the schema.</summary>
public static class EnvelopeCodec
{
    static readonly EnvelopedConverter Converter = new();

    public static byte[] ToBytes(Enveloped envelope)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = MeshJson.Options.Encoder }))
            Converter.Write(writer, envelope, MeshJson.Options);
        return buffer.WrittenSpan.ToArray();
    }

    public static Enveloped FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        reader.Read();
        return Converter.Read(ref reader, typeof(Enveloped), MeshJson.Options);
    }

    public static JsonElement ToElement(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
