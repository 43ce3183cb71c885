using System.Text;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Mesh.Integration.Tests.Support;
using Encoding = System.Text.Encoding;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Integration.Tests;

/// <summary>
/// The exact bytes of a Device, a Profile and a Ticket request and of their answers, exchanged
/// byte for byte with the gateway; written to docs/wire-binding/ when MESH_WRITE_DUMPS=1.
/// </summary>
public sealed class AuthenticationDumpTests(GatewayAuthenticationFixture fixture) : IClassFixture<GatewayAuthenticationFixture>
{
    static readonly byte[] HelloPayload = Encoding.UTF8.GetBytes("{\"HelloRequest\":{}}");

    [Fact]
    public async Task Device_Profile_and_Ticket_exchanges_are_accepted_byte_for_byte_and_dumped_on_request()
    {
        using var device = new TestDevice();
        using var account = new TestAccount($"alice-{Guid.NewGuid():N}@example.com");
        fixture.Stack.AccountDouble!.Bind(account.Address, account.Udf, account.Profile.ToJson());
        var service = fixture.Keys.ServiceUdf;

        var deviceRequest = RequestEnvelope.Seal(HelloPayload, new RequestCredentials
        {
            Mode = RequestModes.Device, ServiceUdf = service, ProfileDevice = device.Profile, SignatureKey = device.Signature,
        });
        await ExchangeAsync("auth-device", deviceRequest);

        var profileRequest = RequestEnvelope.Seal(HelloPayload, new RequestCredentials
        {
            Mode = RequestModes.Profile, ServiceUdf = service, Account = account.Address, ProfileDevice = device.Profile,
            ConnectionDevice = account.Connect(device), SignatureKey = device.Signature,
        });
        var grant = (await ExchangeAsync("auth-profile", profileRequest)).TicketGrant!;

        var ticketRequest = RequestEnvelope.Seal(HelloPayload, new RequestCredentials
        {
            Mode = RequestModes.Ticket, ServiceUdf = service, Account = account.Address, Ticket = grant.Ticket,
            SessionKey = SessionKeyGrant.OpenSessionKey(grant, device.Encryption),
        });
        await ExchangeAsync("auth-ticket", ticketRequest);
    }

    private async Task<ResponseManifest> ExchangeAsync(string name, DareEnvelope request)
    {
        var body = request.ToJson();
        var raw = RawHttps.Request("application/json", body);
        var response = await RawHttps.ExchangeAsync(fixture.Stack, raw);
        var (head, responseBody) = RawHttps.Split(response);
        Assert.StartsWith("HTTP/1.1 201", head, StringComparison.Ordinal);
        var answer = DareEnvelope.Decode(responseBody);
        var manifest = ResponseEnvelope.Verify(answer, fixture.Keys.HostVerifier(), request.Header.EnvelopeId!);
        Assert.IsType<MeshHelloResponse>(MeshJson.Deserialize(answer.Payload));
        if (Environment.GetEnvironmentVariable("MESH_WRITE_DUMPS") == "1")
            await WriteDumpAsync(name, raw, request, response, answer);
        return manifest;
    }

    private static async Task WriteDumpAsync(string name, byte[] raw, DareEnvelope request, byte[] response, DareEnvelope answer)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {name}: written by {nameof(AuthenticationDumpTests)} (MESH_WRITE_DUMPS=1). Keys are fresh per run.");
        text.AppendLine();
        text.AppendLine("## Request, as sent (HTTP/1.1 over TLS)");
        text.AppendLine(Encoding.UTF8.GetString(raw));
        text.AppendLine();
        Describe(text, "request", request);
        text.AppendLine("## Response, as received");
        text.AppendLine(Encoding.UTF8.GetString(response));
        text.AppendLine();
        Describe(text, "response", answer);
        var directory = Path.Combine(RepositoryRoot(), "docs", "wire-binding");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".txt"), text.ToString().Replace("\r\n", "\n"));
    }

    private static void Describe(StringBuilder text, string what, DareEnvelope envelope)
    {
        text.AppendLine($"## The {what} envelope decoded");
        text.AppendLine("header:    " + Encoding.UTF8.GetString(envelope.Header.ToJson()));
        text.AppendLine("payload:   " + Encoding.UTF8.GetString(envelope.Payload));
        text.AppendLine("trailer:   " + Encoding.UTF8.GetString(envelope.Trailer!.ToJson()));
        var signature = envelope.Signatures.Single();
        text.AppendLine("Manifest:  " + Encoding.UTF8.GetString(signature.Manifest!));
        text.AppendLine($"SHA-512(Manifest) = {Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(signature.Manifest!))}");
        text.AppendLine($"signature: alg={signature.Algorithm} kid={signature.KeyIdentifier}");
        text.AppendLine();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.Services.sln"))) return dir.FullName;
        throw new InvalidOperationException("Mesh.Services.sln not found above " + AppContext.BaseDirectory);
    }
}
