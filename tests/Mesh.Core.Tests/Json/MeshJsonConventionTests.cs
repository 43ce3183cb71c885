using Encoding = System.Text.Encoding;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Json;

/// <summary>Protocol -09 §5.4 conventions and the failure modes of bad input.</summary>
public class MeshJsonConventionTests
{
    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Binary_is_written_as_base64url_without_padding()
    {
        var status = new ContainerStatus { Container = "Inbound", Index = 3, Digest = [0xFB, 0xFF, 0xBF, 0x01] };
        Assert.Equal("{\"ContainerStatus\":{\"Container\":\"Inbound\",\"Index\":3,\"Digest\":\"-_-_AQ\"}}", Encoding.UTF8.GetString(MeshJson.Serialize(status)));
    }

    [Theory]
    [InlineData("-_-_AQ")]
    [InlineData("-_-_AQ==")]
    [InlineData("+/+/AQ==")]
    [InlineData("-_-_\n   AQ")]
    [InlineData("-_ -_ AQ")]
    public void Binary_is_read_with_padding_standard_alphabet_and_line_breaks(string text)
    {
        Assert.Equal([0xFB, 0xFF, 0xBF, 0x01], Base64Url.Decode(text));
    }

    [Fact]
    public void Raw_line_break_inside_a_JSON_string_is_the_reference_encoder_wrap_and_is_dropped()
    {
        var status = MeshJson.Deserialize<ContainerStatus>(Utf8("{\"ContainerStatus\":{\"Digest\":\"-_-_\n      AQ\",\"Container\":\"Inb\n  ound\"}}"));
        Assert.Equal([0xFB, 0xFF, 0xBF, 0x01], status.Digest);
        Assert.Equal("Inbound", status.Container);
    }

    [Fact]
    public void Dates_are_RFC_3339_and_integers_are_numbers()
    {
        var select = new ConstraintsSelect { NotBefore = new DateTime(2021, 8, 5, 16, 37, 29, DateTimeKind.Utc), IndexMin = 3 };
        var json = Encoding.UTF8.GetString(MeshJson.SerializeUntagged(select));
        Assert.Equal("{\"IndexMin\":3,\"NotBefore\":\"2021-08-05T16:37:29Z\"}", json);
        var back = MeshJson.DeserializeUntagged<ConstraintsSelect>(Utf8("{\"NotBefore\":\"2021-08-05T18:37:29+02:00\"}"));
        Assert.Equal(select.NotBefore, back.NotBefore);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var response = MeshJson.Deserialize<BindResponse>(Utf8("{\"BindResponse\":{\"Status\":201,\"Novel\":{\"a\":[1,2]},\"Reason\":\"ok\"}}"));
        Assert.Equal(201, response.Status);
        Assert.Equal("ok", response.Reason);
    }

    [Fact]
    public void Wrong_type_fails_naming_the_field()
    {
        var e = Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize(Utf8("{\"BindResponse\":{\"Status\":\"two hundred\"}}")));
        Assert.Contains("Status", e.Message);
        e = Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize(Utf8("{\"ContainerStatus\":{\"Digest\":\"not*base64\"}}")));
        Assert.Contains("Digest", e.Message);
    }

    [Fact]
    public void Unknown_type_tag_fails_naming_the_tag()
    {
        var e = Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize(Utf8("{\"NoSuchRequest\":{}}")));
        Assert.Contains("NoSuchRequest", e.Message);
        e = Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize(Utf8("{\"KeyData\":{\"PublicParameters\":{\"PublicKeyEd9\":{}}}}")));
        Assert.Contains("PublicKeyEd9", e.Message);
    }

    [Fact]
    public void Tag_of_the_wrong_class_is_refused()
    {
        var e = Assert.Throws<MeshFormatException>(() => MeshJson.Deserialize<MeshRequest>(Utf8("{\"BindResponse\":{}}")));
        Assert.Contains("not a MeshRequest", e.Message);
    }

    [Fact]
    public void Newer_spellings_are_read_and_seed_spellings_written()
    {
        var select = MeshJson.DeserializeUntagged<ConstraintsSelect>(Utf8("{\"Store\":\"Contact\"}"));
        Assert.Equal("Contact", select.Container);
        Assert.Equal("{\"Container\":\"Contact\"}", Encoding.UTF8.GetString(MeshJson.SerializeUntagged(select)));
        Assert.IsType<ContainerStatus>(MeshJson.Deserialize(Utf8("{\"StoreStatus\":{\"Store\":\"Inbound\"}}")));
        Assert.IsType<HelloRequest>(MeshJson.Deserialize(Utf8("{\"MeshHelloRequest\":{}}")));
        Assert.Equal("HelloRequest", MeshJson.Deserialize(Utf8("{\"Hello\":{}}")).MeshTag);
    }

    [Fact]
    public void Download_response_with_five_thousand_entries_round_trips_through_JSON_B()
    {
        var header = System.Text.Json.JsonDocument.Parse("{\"EnvelopeId\":\"MBBY\",\"dig\":\"S512\"}").RootElement.Clone();
        var envelopes = Enumerable.Range(0, 5000)
            .Select(i => new Enveloped { Header = header, Payload = BitConverter.GetBytes((long)i).Concat(new byte[200]).ToArray() })
            .ToList();
        var response = new DownloadResponse { Status = 200, Updates = [new ContainerUpdate { Container = "Inbound", Index = 5000, Envelopes = envelopes }] };
        var jsonB = MeshJson.Serialize(response, MeshEncoding.JsonB);
        var json = MeshJson.Serialize(response);
        Assert.True(jsonB.Length * 5 < json.Length * 4, $"JSON-B {jsonB.Length} bytes vs JSON {json.Length}");
        var back = MeshJson.Deserialize<DownloadResponse>(jsonB);
        Assert.Equal(5000, back.Updates!.Single().Envelopes!.Count);
        Assert.Equal(envelopes[4321].Payload, back.Updates![0].Envelopes![4321].Payload);
    }
}
