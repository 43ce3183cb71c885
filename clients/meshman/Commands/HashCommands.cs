using System.CommandLine;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Udf;

namespace Meshman.Commands;

/// <summary><c>hash udf</c> and <c>hash digest</c>: fingerprints and digests of files.</summary>
internal static class HashCommands
{
    public static Command Build(CliContext context)
    {
        var hash = new Command("hash", "Fingerprints and digests of files");
        hash.Subcommands.Add(Udf(context));
        hash.Subcommands.Add(DigestCommand(context));
        return hash;
    }

    static Option<string> AlgorithmOption() => new("--alg")
    {
        Description = "Digest algorithm: sha2 (SHA-2-512, default) or sha3 (SHA-3-512)",
        DefaultValueFactory = _ => "sha2",
    };

    static Command Udf(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to fingerprint" };
        var bits = new Option<int>("--bits")
        {
            Description = $"Precision in bits, a multiple of 20 from {Mesh.Core.Udf.Udf.MinimumBits} to {Mesh.Core.Udf.Udf.MaximumBits} (default {Mesh.Core.Udf.Udf.DefaultBits})",
            DefaultValueFactory = _ => Mesh.Core.Udf.Udf.DefaultBits,
        };
        var type = new Option<string?>("--type")
        {
            Description = "Content type (IANA media type); default from the file extension (.txt is text/plain, unknown is application/octet-stream)",
        };
        var alg = AlgorithmOption();
        var command = new Command("udf", "Print the UDF content digest of a file") { file, bits, type, alg };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var path = result.GetValue(file)!;
            var contentType = result.GetValue(type) ?? ContentTypeOf(path);
            using var stream = Open(path);
            context.Output.WriteLine(Mesh.Core.Udf.Udf.ContentDigest(stream, contentType, result.GetValue(bits), UdfAlgorithm(result.GetValue(alg)!)));
        }));
        return command;
    }

    static Command DigestCommand(CliContext context)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to digest" };
        var alg = AlgorithmOption();
        var command = new Command("digest", "Print the SHA-2-512 (or SHA-3-512) digest of a file in hex") { file, alg };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var stream = Open(result.GetValue(file)!);
            var name = UdfAlgorithm(result.GetValue(alg)!) == UdfDigestAlgorithm.Sha2_512 ? MeshAlgorithms.Sha2_512 : MeshAlgorithms.Sha3_512;
            context.Output.WriteLine(Convert.ToHexStringLower(Digest.Compute(name, stream)));
        }));
        return command;
    }

    static UdfDigestAlgorithm UdfAlgorithm(string name) => name.ToLowerInvariant() switch
    {
        "sha2" or "sha-2-512" or "s512" => UdfDigestAlgorithm.Sha2_512,
        "sha3" or "sha-3-512" or "s3512" => UdfDigestAlgorithm.Sha3_512,
        _ => throw new MeshFormatException($"unknown digest algorithm '{name}' (use sha2 or sha3)"),
    };

    static FileStream Open(FileInfo file)
    {
        if (!file.Exists) throw new MeshFormatException($"file not found: {file.FullName}");
        return file.OpenRead();
    }

    static string ContentTypeOf(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".txt" or ".text" => UdfContentTypes.TextPlain,
        ".md" => "text/markdown",
        ".html" or ".htm" => "text/html",
        ".json" => "application/json",
        ".xml" => "application/xml",
        ".pdf" => "application/pdf",
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        _ => UdfContentTypes.OctetStream,
    };
}
