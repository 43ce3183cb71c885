using System.Text;
using Mesh.Core.Dare;

namespace Mesh.Core.Tests.Dare;

/// <summary>Seed protocol -09 §7.1: the Hello response's self-signed service and host profiles.</summary>
public class DareSeedHelloTests
{
    internal static byte[] HelloEnvelope(string name)
    {
        var lines = File.ReadAllLines(SharedFiles.Seed("mesh-protocol-09-2021-08.txt"));
        var start = Array.FindIndex(lines, l => l.Trim() == "\"MeshHelloResponse\":{") - 1;
        var block = new StringBuilder();
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("Hallam-Baker", StringComparison.Ordinal) || line.StartsWith("Internet-Draft", StringComparison.Ordinal) || line.Trim().Length == 0) continue;
            block.Append(line).Append('\n');
            if (line.TrimEnd().EndsWith("]}}", StringComparison.Ordinal)) break;
        }
        var response = DareVectors.Json(block.ToString()).GetProperty("MeshHelloResponse");
        return Encoding.UTF8.GetBytes(response.GetProperty(name)[0].GetRawText() is var first && first.StartsWith('{')
            ? response.GetProperty(name).GetRawText() : first);
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Hello_profile_verifies_under_its_own_ProfileSignature_key(string name)
    {
        var envelope = DareEnvelope.Decode(HelloEnvelope(name));
        var result = DareSelfSigned.Verify(envelope);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(envelope.Signatures[0].KeyIdentifier, DareSelfSigned.ProfileSignatureKey(envelope)!.Value.Udf);
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Hello_profile_fails_once_a_payload_byte_changes(string name)
    {
        var envelope = DareEnvelope.Decode(HelloEnvelope(name));
        var payload = envelope.Payload.ToArray();
        payload[payload.Length / 2] ^= 0x01;
        var tampered = new DareEnvelope(envelope.Header, payload, envelope.Trailer);
        var result = tampered.Verify(_ => null);
        Assert.False(result.DigestMatches);
        try
        {
            Assert.False(DareSelfSigned.Verify(tampered).IsValid);
        }
        catch (MeshException)
        {
            // The flipped byte broke the profile JSON itself: rejected as well.
        }
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Hello_profile_fails_once_a_signature_byte_changes(string name)
    {
        var envelope = DareEnvelope.Decode(HelloEnvelope(name));
        envelope.Signatures[0].SignatureValue![10] ^= 0x01;
        var result = DareSelfSigned.Verify(envelope);
        Assert.True(result.DigestMatches);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Hello_profile_still_verifies_after_conversion_to_JSON_B_and_back(string name)
    {
        var envelope = DareEnvelope.Decode(HelloEnvelope(name));
        var jsonB = envelope.ToJsonB();
        Assert.True(DareSelfSigned.Verify(DareEnvelope.Decode(jsonB)).IsValid);
        Assert.True(DareSelfSigned.Verify(DareEnvelope.Decode(DareEnvelope.Decode(jsonB).ToJson())).IsValid);
    }
}
