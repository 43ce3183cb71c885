using Mesh.Core.Tests;

namespace Meshman.Tests;

public sealed class HashCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("meshman-hash-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string Write(string name, byte[] content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public void Hash_udf_of_a_txt_file_is_the_text_plain_fingerprint_of_UDFDigestLong()
    {
        // UDFDigestLong.md: "UDF Data Value" typed text/plain has the 125 bit fingerprint
        // MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF.
        var path = Write("value.txt", "UDF Data Value"u8.ToArray());
        var run = MeshmanRun.Of("hash", "udf", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["MDDK-7N6A-727A-JZNO-STRX-XKS7-DJAF"], run.Lines);
    }

    [Fact]
    public void Hash_udf_honours_bits_type_and_sha3()
    {
        var vector = File.ReadAllText(SharedFiles.Vector("UDFDigestLong.md"));
        var path = Write("value.bin", "UDF Data Value"u8.ToArray());
        var run = MeshmanRun.Of("hash", "udf", path, "--type", "text/plain", "--bits", "260");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"<dd>{run.Lines.Single()}", vector);

        var sha3 = MeshmanRun.Of("hash", "udf", path, "--type", "text/plain", "--alg", "sha3");
        Assert.Contains($"The 125 bit fingerprint value is {sha3.Lines.Single()}", vector);

        var octets = MeshmanRun.Of("hash", "udf", path);
        Assert.NotEqual(run.Lines.Single()[..34], octets.Lines.Single());   // application/octet-stream differs
    }

    [Fact]
    public void Hash_digest_prints_the_SHA2_512_of_the_file_in_hex()
    {
        var path = Write("value.txt", "UDF Data Value"u8.ToArray());
        var run = MeshmanRun.Of("hash", "digest", path);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData("UDF Data Value"u8)), run.Lines.Single());
    }

    [Fact]
    public void Missing_file_is_a_one_line_error()
    {
        MeshmanRun.Of("hash", "udf", Path.Combine(directory, "absent.txt")).AssertOneLineError("file not found");
    }

    [Theory]
    [InlineData("--bits", "130", "precision")]
    [InlineData("--alg", "md5", "unknown digest algorithm")]
    public void Bad_options_are_one_line_errors(string option, string value, string message)
    {
        var path = Write("x.txt", "x"u8.ToArray());
        MeshmanRun.Of("hash", "udf", path, option, value).AssertOneLineError(message);
    }
}
