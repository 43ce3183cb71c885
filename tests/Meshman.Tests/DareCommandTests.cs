using System.Text;
using System.Text.Json;

namespace Meshman.Tests;

public class DareCommandTests
{
    readonly string dir = Directory.CreateTempSubdirectory("meshman-dare").FullName;

    (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Verify_reports_the_seed_Hello_profile_valid(string name)
    {
        var file = Path.Combine(dir, name + ".dare");
        File.WriteAllBytes(file, SeedHelloEnvelope(name));
        var (code, output, _) = Run("dare", "verify", file);
        Assert.Equal(0, code);
        Assert.Contains("VALID", output);
        Assert.Contains("signer M", output);
        Assert.Contains("digest S512 ", output);
    }

    [Theory]
    [InlineData("EnvelopedProfileService")]
    [InlineData("EnvelopedProfileHost")]
    public void Verify_reports_a_tampered_seed_profile_invalid_and_exits_non_zero(string name)
    {
        var bytes = SeedHelloEnvelope(name);
        var payloadStart = Encoding.UTF8.GetString(bytes).IndexOf("\"ewogICJQcm9maWxl", StringComparison.Ordinal) + 40;
        bytes[payloadStart] = bytes[payloadStart] == (byte)'A' ? (byte)'B' : (byte)'A';
        var file = Path.Combine(dir, name + "-tampered.dare");
        File.WriteAllBytes(file, bytes);
        var (code, output, error) = Run("dare", "verify", file);
        Assert.NotEqual(0, code);
        Assert.Contains("INVALID", output + error);
    }

    [Fact]
    public void Encode_with_generated_keys_decodes_and_verifies()
    {
        string P(string name) => Path.Combine(dir, name);
        Assert.Equal(0, Run("key", "generate", P("bob.key"), "--alg", "x448").Code);
        Assert.Equal(0, Run("key", "generate", P("alice.key"), "--alg", "ed25519").Code);
        File.WriteAllText(P("plain.txt"), "Meet at the usual place.");
        Assert.Equal(0, Run("dare", "encode", P("plain.txt"), P("msg.dare"), "--encrypt", P("bob.key"), "--sign", P("alice.key"), "--jsonb").Code);
        var (code, output, _) = Run("dare", "verify", P("msg.dare"), "--key", P("alice.key"));
        Assert.Equal(0, code);
        Assert.Contains("VALID", output);
        Assert.Equal(0, Run("dare", "decode", P("msg.dare"), P("out.txt"), "--key", P("bob.key")).Code);
        Assert.Equal("Meet at the usual place.", File.ReadAllText(P("out.txt")));
        var wrong = Run("dare", "decode", P("msg.dare"), P("out2.txt"), "--key", P("alice.key"));
        Assert.NotEqual(0, wrong.Code);
        Assert.Contains("cannot be used here", wrong.Error);
    }

    /// <summary>One profile envelope of seed -09 §7.1, page breaks removed, wrapped strings rejoined.</summary>
    static byte[] SeedHelloEnvelope(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(SharedRoot(), "seeds", "mesh-protocol-09-2021-08.txt"));
        var start = Array.FindIndex(lines, l => l.Trim() == "\"MeshHelloResponse\":{") - 1;
        var block = new StringBuilder();
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("Hallam-Baker", StringComparison.Ordinal) || line.StartsWith("Internet-Draft", StringComparison.Ordinal) || line.Trim().Length == 0) continue;
            block.Append(line).Append('\n');
            if (line.TrimEnd().EndsWith("]}}", StringComparison.Ordinal)) break;
        }
        var text = block.ToString();
        var joined = new StringBuilder();
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && text[i - 1] != '\\') inString = !inString;
            if (inString && text[i] == '\n')
            {
                while (text[i + 1] == ' ') i++;
                continue;
            }
            joined.Append(text[i]);
        }
        var response = JsonDocument.Parse(joined.ToString()).RootElement.GetProperty("MeshHelloResponse");
        return Encoding.UTF8.GetBytes(response.GetProperty(name).GetRawText());
    }

    static string SharedRoot()
    {
        var env = Environment.GetEnvironmentVariable("MESH_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "seeds"))) return candidate;
        }
        throw new DirectoryNotFoundException("shared/ not found beside the checkout; set MESH_SHARED");
    }
}
