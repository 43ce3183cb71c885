using System.Text.Json;
using System.Text.RegularExpressions;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Tests.Schema;

/// <summary>The Hello response payload of seed protocol -09 §7.1, with its page breaks and wrapped base64.</summary>
public class SeedHelloTests
{
    static byte[] SeedPayload(string after, string before)
    {
        var text = File.ReadAllText(SharedFiles.Seed("mesh-protocol-09-2021-08.txt"));
        var start = text.IndexOf(after, text.IndexOf("7.1.  Service Description\n", StringComparison.Ordinal), StringComparison.Ordinal) + after.Length;
        var end = text.IndexOf(before, start, StringComparison.Ordinal);
        // Drop the page footer/header lines the RFC layout puts in the middle of the JSON.
        var body = Regex.Replace(text[start..end], @"\n*Hallam-Baker[^\n]*\[Page \d+\]\n\f?\n?Internet-Draft[^\n]*\n", "\n");
        return System.Text.Encoding.UTF8.GetBytes(body.Trim());
    }

    static MeshHelloResponse Response() => MeshJson.Deserialize<MeshHelloResponse>(SeedPayload("The response payload:", "7.2.  Account Creation"));

    [Fact]
    public void Seed_Hello_request_reads_as_HelloRequest()
    {
        Assert.IsType<HelloRequest>(MeshJson.Deserialize(SeedPayload("The request payload:", "The response payload:")));
    }

    [Fact]
    public void Seed_Hello_response_reads_with_status_version_and_both_envelopes()
    {
        var response = Response();
        Assert.Equal(201, response.Status);
        Assert.Equal(3, response.Version!.Major);
        Assert.Equal(0, response.Version.Minor);
        Assert.Equal(["application/json"], response.Version.Encodings!.Single().ID!);
        Assert.NotNull(response.EnvelopedProfileService?.Payload);
        Assert.NotNull(response.EnvelopedProfileHost?.Payload);
    }

    [Fact]
    public void Seed_Hello_service_envelope_payload_is_a_ProfileService_with_Ed448_and_X448_keys()
    {
        var envelope = Response().EnvelopedProfileService!;
        var profile = envelope.DecodePayload<ProfileService>();
        // The envelope id names the profile's signature key (§7.1: EnvelopeId == ProfileSignature.Udf).
        Assert.Equal(envelope.Header.GetProperty("EnvelopeId").GetString(), profile.ProfileSignature!.Udf);
        AssertKey(profile.ProfileSignature, "Ed448", 57);
        AssertKey(profile.ServiceSignature!, "Ed448", 57);
        AssertKey(profile.ServiceAuthentication!, "X448", 57);
        AssertKey(profile.ServiceEncryption!, "X448", 57);
        AssertMetadataType(envelope, "ProfileService");
    }

    [Fact]
    public void Seed_Hello_host_envelope_payload_is_a_ProfileHost_with_its_three_keys()
    {
        var envelope = Response().EnvelopedProfileHost!;
        var profile = envelope.DecodePayload<ProfileHost>();
        Assert.Equal(envelope.Header.GetProperty("EnvelopeId").GetString(), profile.ProfileSignature!.Udf);
        AssertKey(profile.ProfileSignature, "Ed448", 57);
        AssertKey(profile.Signature!, "Ed448", 57);
        AssertKey(profile.Encryption!, "X448", 57);
        AssertKey(profile.Authentication!, "X448", 57);
        AssertMetadataType(envelope, "ProfileHost");
    }

    [Fact]
    public void Seed_Hello_response_written_as_JSON_B_reads_back_with_binary_keys()
    {
        var response = Response();
        var jsonB = MeshJson.Serialize(response, MeshEncoding.JsonB);
        var again = MeshJson.Deserialize<MeshHelloResponse>(jsonB);
        Assert.Equal(response.EnvelopedProfileService!.Payload, again.EnvelopedProfileService!.Payload);
        // The payload travels as one JSON-B data item (x88–x8B), not as base64 text.
        var payload = response.EnvelopedProfileService.Payload!;
        Assert.True(jsonB.AsSpan().IndexOf(payload) > 0);
        Assert.True(jsonB.Length < MeshJson.Serialize(response).Length);
    }

    static void AssertKey(KeyData key, string curve, int length)
    {
        var ecdh = Assert.IsType<PublicKeyECDH>(key.PublicParameters);
        Assert.Equal(curve, ecdh.Curve);
        // Ed448 public keys are 57 bytes (RFC 8032). The seed prints its X448 keys as 57 bytes too,
        // not RFC 7748's 56: each ends in an extra byte 0x80 (noted in docs/conformance/json.md).
        Assert.Equal(length, ecdh.Public!.Length);
        Assert.Matches(@"^M[A-Z2-7]{3}(-[A-Z2-7]{4}){6}$", key.Udf);
    }

    static void AssertMetadataType(Enveloped envelope, string type)
    {
        var meta = Base64Url.Decode(envelope.Header.GetProperty("ContentMetaData").GetString()!);
        using var doc = JsonDocument.Parse(meta);
        Assert.Equal(type, doc.RootElement.GetProperty("MessageType").GetString());
    }
}
