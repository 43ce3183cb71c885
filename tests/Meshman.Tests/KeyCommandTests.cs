using Mesh.Core.Tests;
using System.Text.Json;

namespace Meshman.Tests;

public sealed class KeyCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("meshman-key-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static string VectorValue(string file, string label) =>
        File.ReadAllLines(SharedFiles.Vector(file)).Single(l => l.StartsWith(label)).Substring(label.Length).Trim();

    [Fact]
    public void Key_recover_returns_the_UDFShare_key_from_two_of_its_shares()
    {
        var run = MeshmanRun.Of("key", "recover", VectorValue("UDFShare.md", "Share 2:"), VectorValue("UDFShare.md", "Share 0:"));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal([VectorValue("UDFShare.md", "Key:")], run.Lines);
    }

    [Fact]
    public void Key_share_then_recover_round_trips_the_secret()
    {
        var secret = VectorValue("UDFShare.md", "Key:");
        var split = MeshmanRun.Of("key", "share", secret, "--threshold", "3", "--shares", "5");
        Assert.Equal(0, split.ExitCode);
        Assert.Equal(5, split.Lines.Length);
        Assert.All(split.Lines, l => Assert.StartsWith("S", l));
        var recovered = MeshmanRun.Of(["key", "recover", split.Lines[4], split.Lines[1], split.Lines[2]]);
        Assert.Equal([secret], recovered.Lines);
    }

    [Fact]
    public void Too_few_shares_and_bad_thresholds_are_one_line_errors()
    {
        var split = MeshmanRun.Of("key", "share", "JMBL-NTP6-OPCZ-FFPR-EKB3-3CJO-YQ", "--threshold", "3", "--shares", "4");
        MeshmanRun.Of("key", "recover", split.Lines[0], split.Lines[1]).AssertOneLineError("2 shares given, 3 are needed");
        MeshmanRun.Of("key", "share", "JMBL-NTP6", "--threshold", "1", "--shares", "3").AssertOneLineError("threshold");
        MeshmanRun.Of("key", "recover", "NOT-A-SHARE-1").AssertOneLineError("not a Base32 character");
    }

    [Fact]
    public void Key_nonce_prints_a_nonce_UDF_of_the_requested_size()
    {
        var run = MeshmanRun.Of("key", "nonce", "--bits", "256");
        Assert.Equal(0, run.ExitCode);
        var nonce = Mesh.Core.Udf.Udf.Parse(run.Lines.Single(), Mesh.Core.Udf.UdfKind.Nonce);
        Assert.Equal(32, nonce.Data.Length);
        MeshmanRun.Of("key", "nonce", "--bits", "12").AssertOneLineError("multiple of 8");
    }

    [Theory]
    [InlineData("ed25519", "Ed25519")]
    [InlineData("ed448", "Ed448")]
    [InlineData("x25519", "X25519")]
    [InlineData("x448", "X448")]
    public void Key_generate_writes_a_key_file_whose_private_key_gives_its_public_key(string alg, string algorithm)
    {
        var path = Path.Combine(directory, $"{alg}.json");
        var run = MeshmanRun.Of("key", "generate", "--alg", alg, path);
        Assert.Equal(0, run.ExitCode);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(algorithm, root.GetProperty("Algorithm").GetString());
        var privateKey = System.Buffers.Text.Base64Url.DecodeFromChars(root.GetProperty("PrivateKey").GetString());
        var publicKey = System.Buffers.Text.Base64Url.DecodeFromChars(root.GetProperty("PublicKey").GetString());
        using var key = Mesh.Core.Cryptography.KeyPair.FromPrivate(algorithm, privateKey);
        Assert.Equal(publicKey, key.PublicKey);
        Assert.Equal(Mesh.Core.Udf.Udf.KeyFingerprint(key), root.GetProperty("Udf").GetString());
        Assert.Contains(root.GetProperty("Udf").GetString()!, run.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Key_generate_refuses_an_unknown_algorithm_and_an_existing_file()
    {
        var path = Path.Combine(directory, "key.json");
        MeshmanRun.Of("key", "generate", "--alg", "rsa", path).AssertOneLineError("unknown key algorithm");
        File.WriteAllText(path, "{}");
        MeshmanRun.Of("key", "generate", "--alg", "ed25519", path).AssertOneLineError("already exists");
        Assert.Equal("{}", File.ReadAllText(path));
    }
}
