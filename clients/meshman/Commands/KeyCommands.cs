using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Udf;

namespace Meshman.Commands;

/// <summary><c>key nonce|share|recover|generate</c>: random values, secret sharing and key files.</summary>
internal static class KeyCommands
{
    public static Command Build(CliContext context)
    {
        var key = new Command("key", "Nonces, secret shares and key pairs");
        key.Subcommands.Add(Nonce(context));
        key.Subcommands.Add(Share(context));
        key.Subcommands.Add(Recover(context));
        key.Subcommands.Add(Generate(context));
        return key;
    }

    static Command Nonce(CliContext context)
    {
        var bits = new Option<int>("--bits")
        {
            Description = "Random bits, a multiple of 8 from 64 to 512 (default 128)",
            DefaultValueFactory = _ => 128,
        };
        var command = new Command("nonce", "Print a random nonce UDF") { bits };
        command.SetAction(result => CommandRunner.Run(context, () =>
            context.Output.WriteLine(Mesh.Core.Udf.Udf.Nonce(result.GetValue(bits)))));
        return command;
    }

    static Command Share(CliContext context)
    {
        var secret = new Argument<string>("SECRET") { Description = "The secret in Base32 (dashes optional), e.g. a key printed by 'key recover'" };
        var threshold = new Option<int>("--threshold") { Description = "Shares needed to recover (2 to 15)", Required = true };
        var shares = new Option<int>("--shares") { Description = "Shares to make (threshold to 16)", Required = true };
        var command = new Command("share", "Split a secret into Shamir share UDFs, one per line") { secret, threshold, shares };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var value = Base32.Decode(result.GetValue(secret)!);
            try
            {
                if (value.Length == 0) throw new MeshFormatException("the secret is empty");
                foreach (var share in SecretSharing.Split(value, result.GetValue(threshold), result.GetValue(shares)))
                {
                    context.Output.WriteLine(share.ToUdf());
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(value);
            }
        }));
        return command;
    }

    static Command Recover(CliContext context)
    {
        var shares = new Argument<string[]>("SHARE") { Description = "Share UDFs (at least the threshold)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("recover", "Recover a secret from Shamir share UDFs and print it in Base32") { shares };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var secret = SecretSharing.Recover(result.GetValue(shares)!);
            context.Output.WriteLine(Base32.Encode(secret));
            CryptographicOperations.ZeroMemory(secret);
        }));
        return command;
    }

    const string KeyFileHelp =
        "Writes a JSON key file: {\"Algorithm\": \"Ed25519|Ed448|X25519|X448\", " +
        "\"PrivateKey\": base64url (RFC 8032 seed or RFC 7748 scalar), \"PublicKey\": base64url, " +
        "\"Udf\": key fingerprint}. The file is created with mode 600 and never overwritten.";

    static Command Generate(CliContext context)
    {
        var alg = new Option<string>("--alg") { Description = "ed25519, ed448, x25519 or x448", Required = true };
        var output = new Argument<FileInfo>("OUT") { Description = "Key file to create" };
        var command = new Command("generate", "Generate a key pair. " + KeyFileHelp) { alg, output };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var file = result.GetValue(output)!;
            if (file.Exists) throw new MeshFormatException($"{file.FullName} already exists; not overwriting a key file");
            using var key = KeyPair.Generate(result.GetValue(alg)!);
            var fingerprint = Mesh.Core.Udf.Udf.KeyFingerprint(key);
            WriteKeyFile(file, key, fingerprint);
            context.Output.WriteLine($"{key.Algorithm} {fingerprint} {file.FullName}");
        }));
        return command;
    }

    static void WriteKeyFile(FileInfo file, KeyPair key, string fingerprint)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(file.FullName, options);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var privateKey = key.ExportPrivate();
        try
        {
            writer.WriteStartObject();
            writer.WriteString("Algorithm", key.Algorithm);
            writer.WriteString("PrivateKey", Base64Url.EncodeToString(privateKey));
            writer.WriteString("PublicKey", Base64Url.EncodeToString(key.PublicKey));
            writer.WriteString("Udf", fingerprint);
            writer.WriteEndObject();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(privateKey);
        }
    }
}
