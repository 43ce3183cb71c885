using System.CommandLine;
using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Meshman.Commands;

/// <summary><c>dare encode|decode|verify</c>: DARE envelopes in JSON or JSON-B files.</summary>
internal static class DareCommands
{
    public static Command Build(CliContext context)
    {
        var dare = new Command("dare", "Encode, decode and verify DARE envelopes");
        dare.Subcommands.Add(Encode(context));
        dare.Subcommands.Add(Decode(context));
        dare.Subcommands.Add(Verify(context));
        return dare;
    }

    static Command Encode(CliContext context)
    {
        var input = new Argument<FileInfo>("IN") { Description = "Plaintext file" };
        var output = new Argument<FileInfo>("OUT") { Description = "Envelope file to write" };
        var encrypt = new Option<FileInfo?>("--encrypt") { Description = "Recipient key file (X25519 or X448)" };
        var sign = new Option<FileInfo?>("--sign") { Description = "Signer key file (Ed25519 or Ed448)" };
        var jsonB = new Option<bool>("--jsonb") { Description = "Write the JSON-B form instead of JSON" };
        var command = new Command("encode", "Wrap a file in a DARE envelope") { input, output, encrypt, sign, jsonB };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var recipient = result.GetValue(encrypt) is { } e ? ReadKey<AgreementKeyPair>(e) : null;
            using var signer = result.GetValue(sign) is { } s ? ReadKey<SignatureKeyPair>(s) : null;
            var options = new DareEnvelopeOptions
            {
                Recipients = recipient is null ? [] : [DareKeyPairs.Recipient(recipient)],
                Signers = signer is null ? [] : [DareKeyPairs.Signer(signer)],
                DigestAlgorithm = DareAlgorithms.Sha2_512,
            };
            var file = result.GetValue(input)!;
            using var source = file.OpenRead();
            using var target = new FileStream(result.GetValue(output)!.FullName, FileMode.CreateNew, FileAccess.Write);
            DareEnvelopeWriter.Encode(source, source.Length, target, options,
                result.GetValue(jsonB) ? DareEncoding.JsonB : DareEncoding.Json);
        }));
        return command;
    }

    static Command Decode(CliContext context)
    {
        var input = new Argument<FileInfo>("IN") { Description = "Envelope file (JSON or JSON-B)" };
        var output = new Argument<FileInfo>("OUT") { Description = "Payload file to write" };
        var key = new Option<FileInfo?>("--key") { Description = "Recipient key file with its private key" };
        var command = new Command("decode", "Extract (and decrypt) the payload of an envelope") { input, output, key };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var recipient = result.GetValue(key) is { } k ? ReadKey<AgreementKeyPair>(k) : null;
            var envelope = DareEnvelope.Decode(File.ReadAllBytes(result.GetValue(input)!.FullName));
            if (envelope.CarriedDigest is not null && !envelope.Verify(_ => null).DigestMatches)
                throw new MeshCryptoException("payload digest does not match: the envelope was altered");
            var plaintext = envelope.DecryptPayload(recipient is null ? [] : [DareKeyPairs.Decryption(recipient)]);
            File.WriteAllBytes(result.GetValue(output)!.FullName, plaintext);
        }));
        return command;
    }

    static Command Verify(CliContext context)
    {
        var input = new Argument<FileInfo>("FILE") { Description = "Envelope file (JSON or JSON-B)" };
        var key = new Option<FileInfo?>("--key") { Description = "Signer key file; without it a self-signed profile is checked against its ProfileSignature" };
        var command = new Command("verify", "Check an envelope's payload digest and signatures; exit 1 when invalid") { input, key };
        command.SetAction(result =>
        {
            var valid = false;
            var code = CommandRunner.Run(context, () =>
            {
                var envelope = DareEnvelope.Decode(File.ReadAllBytes(result.GetValue(input)!.FullName));
                var digestOnly = envelope.Verify(_ => null);
                if (!digestOnly.DigestMatches)
                {
                    context.Output.WriteLine($"digest {envelope.Header.DigestAlgorithm ?? DareAlgorithms.Sha2_512} {Mesh.Core.Json.Base64Url.Encode(digestOnly.PayloadDigest)}");
                    context.Output.WriteLine($"INVALID: {digestOnly.Problem}");
                    return;
                }
                DareVerification verification;
                if (result.GetValue(key) is { } keyFile)
                {
                    using var signer = ReadKey<SignatureKeyPair>(keyFile);
                    var verifier = DareKeyPairs.Verifier(signer);
                    verification = envelope.Verify(s => s.KeyIdentifier == verifier.KeyIdentifier ? verifier : null);
                }
                else
                {
                    verification = DareSelfSigned.Verify(envelope);
                }
                foreach (var signature in verification.Signatures)
                {
                    context.Output.WriteLine($"signer {signature.KeyIdentifier} alg {signature.Algorithm} {(signature.Valid ? "valid" : "invalid")}");
                }
                context.Output.WriteLine($"digest {envelope.Header.DigestAlgorithm ?? DareAlgorithms.Sha2_512} {Mesh.Core.Json.Base64Url.Encode(verification.PayloadDigest)}");
                valid = verification.IsValid;
                context.Output.WriteLine(valid ? "VALID" : $"INVALID: {verification.Problem}");
            });
            return code != 0 ? code : valid ? 0 : 1;
        });
        return command;
    }

    /// <summary>Reads a key file as <c>key generate</c> writes it: {"Algorithm", "PrivateKey", "PublicKey", "Udf"}.</summary>
    static T ReadKey<T>(FileInfo file) where T : KeyPair
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllBytes(file.FullName)).RootElement;
        }
        catch (JsonException e)
        {
            throw new MeshFormatException($"key file {file.Name} is not JSON: {e.Message}");
        }
        string Field(string name) => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()! : throw new MeshFormatException($"key file {file.Name} has no \"{name}\"");
        var algorithm = Field("Algorithm");
        var key = root.TryGetProperty("PrivateKey", out _)
            ? KeyPair.FromPrivate(algorithm, Mesh.Core.Json.Base64Url.Decode(Field("PrivateKey")))
            : KeyPair.FromPublic(algorithm, Mesh.Core.Json.Base64Url.Decode(Field("PublicKey")));
        if (key is T typed) return typed;
        key.Dispose();
        throw new MeshCryptoException($"key file {file.Name} holds a {algorithm} key, which cannot be used here");
    }
}
