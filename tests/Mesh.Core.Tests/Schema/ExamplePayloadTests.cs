using Encoding = System.Text.Encoding;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Schema;

/// <summary>Every tagged payload printed in vectors/examples Protocol*.md and Schema*.md.</summary>
public class ExamplePayloadTests
{
    static readonly Dictionary<string, byte[]> Payloads = ExamplePayloads.FromVectors().ToDictionary(p => p.Source, p => p.Json);

    public static TheoryData<string> Sources()
    {
        var data = new TheoryData<string>();
        foreach (var key in Payloads.Keys) data.Add(key);
        return data;
    }

    [Fact]
    public void The_vectors_hold_at_least_sixty_tagged_example_payloads()
    {
        Assert.True(Payloads.Count >= 60, $"only {Payloads.Count} payloads found");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Example_payload_reads_as_its_tag_and_writes_back_equivalently(string source)
    {
        var json = Payloads[source];
        AssertRoundTrip(json, source);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Payloads_of_envelopes_inside_the_example_read_and_write_back_equivalently(string source)
    {
        foreach (var payload in ExamplePayloads.EnvelopePayloads(Payloads[source]))
            AssertRoundTrip(payload, source + " (envelope payload)");
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Example_payload_survives_JSON_to_JSON_B_to_JSON(string source)
    {
        var canonical = JsonTranscoder.ToJson(Payloads[source]);
        var jsonB = JsonTranscoder.ToJsonB(canonical);
        Assert.Equal(Encoding.UTF8.GetString(canonical), Encoding.UTF8.GetString(JsonTranscoder.ToJson(jsonB)));
        Assert.Equal(jsonB, JsonTranscoder.ToJsonB(JsonTranscoder.ToJson(jsonB)));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Example_object_written_as_JSON_B_and_JSON_C_reads_back_to_the_same_JSON(string source)
    {
        var item = MeshJson.Deserialize(Payloads[source]);
        var json = MeshJson.Serialize(item);
        foreach (var encoding in new[] { MeshEncoding.JsonB, MeshEncoding.JsonC })
        {
            var binary = MeshJson.Serialize(item, encoding);
            Assert.False(JsonTranscoder.IsPlainJson(binary));
            Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(MeshJson.Serialize(MeshJson.Deserialize(binary))));
        }
    }

    static void AssertRoundTrip(byte[] json, string source)
    {
        var item = MeshJson.Deserialize(json);
        var expectedTag = ExamplePayloads.Normalized(json).AsObject().First().Key;
        Assert.Equal(expectedTag, item.MeshTag);
        var written = MeshJson.Serialize(item);
        var difference = ExamplePayloads.FirstDifference(ExamplePayloads.Normalized(json), ExamplePayloads.Normalized(written));
        Assert.True(difference is null, $"{source}: {difference}");
    }
}
