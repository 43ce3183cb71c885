using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Json;

/// <summary>Truncated and mutated JSON-B: a clean MeshFormatException or a valid reading, nothing else.</summary>
public class JsonBMutationTests
{
    static byte[] Sample()
    {
        var payload = ExampleSample();
        return MeshJson.Serialize(MeshJson.Deserialize(payload), MeshEncoding.JsonC);
    }

    static byte[] ExampleSample() =>
        Mesh.Core.Tests.Schema.ExamplePayloads.FromVectors().First(p => p.Source.StartsWith("ProtocolHello.md")).Json;

    [Fact]
    public void Every_truncation_of_a_JSON_C_Hello_response_is_a_format_error()
    {
        var full = Sample();
        for (var n = 0; n < full.Length; n++)
            Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize(full.AsSpan(0, n)));
    }

    [Fact]
    public void Random_byte_mutations_end_in_a_format_error_or_a_reading()
    {
        var full = Sample();
        var random = new Random(20240901);
        for (var i = 0; i < 3000; i++)
        {
            var mutated = (byte[])full.Clone();
            var changes = 1 + random.Next(4);
            for (var c = 0; c < changes; c++) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            try
            {
                MeshJson.Deserialize(mutated);
            }
            catch (MeshFormatException)
            {
            }
            try
            {
                JsonTranscoder.ToJson(mutated);
            }
            catch (MeshFormatException)
            {
            }
        }
    }

    [Fact]
    public void Length_larger_than_the_input_is_refused_before_allocation()
    {
        byte[] huge = [JsonBTag.DataTerm64, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3];
        var e = Assert.Throws<MeshFormatException>(() => JsonTranscoder.ToJson(huge));
        Assert.Contains("past the end", e.Message);
    }

    [Fact]
    public void Nesting_beyond_sixty_four_levels_is_refused()
    {
        var deep = Enumerable.Repeat((byte)'[', 100).Concat(Enumerable.Repeat((byte)']', 100)).ToArray();
        Assert.Throws<MeshFormatException>(() => JsonTranscoder.ToJson(deep));
    }
}
