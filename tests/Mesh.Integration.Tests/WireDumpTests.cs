using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Mesh.Integration.Tests.Support;
using Encoding = System.Text.Encoding;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Integration.Tests;

/// <summary>Gateway (HTTPS) → account service and sync service, on the real PostgreSQL.</summary>
public sealed class WireDumpFixture : IAsyncLifetime
{
    internal MeshStack Stack { get; private set; } = null!;

    internal ServiceKeys Keys { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await MeshStack.StartAsync(sync: true);
        using var client = Stack.Client(HttpVersion.Version11);
        Keys = await ServiceKeys.HelloAsync(client);
    }

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

/// <summary>
/// Hello (JSON and JSON-B) and a bound account's BindAccount, Status, Transact and Download,
/// exchanged byte for byte with the gateway and checked as a client checks them; written to
/// docs/wire-binding/ (hello.txt, hello-json-b.txt, bind.txt, status.txt, transact.txt,
/// download.txt) when MESH_WRITE_DUMPS=1.
/// </summary>
public sealed class WireDumpTests(WireDumpFixture fixture) : IClassFixture<WireDumpFixture>
{
    private static bool WriteDumps => Environment.GetEnvironmentVariable("MESH_WRITE_DUMPS") == "1";

    private sealed record Exchange(byte[] Raw, byte[] Response, int Status, string ContentType, string Head, DareEnvelope Answer, byte[] Json)
    {
        public JsonElement Body => JsonDocument.Parse(Json).RootElement.Clone();
    }

    [Fact]
    public async Task Hello_in_JSON_is_answered_201_in_JSON_signed_by_the_host_key_of_its_own_EnvelopedProfileHost()
    {
        var body = MeshMessages.Envelope("{\"HelloRequest\":{}}");

        var exchange = await ExchangeAsync(MeshMediaType.Json, body);

        Assert.Equal(201, exchange.Status);
        Assert.Equal("application/json", exchange.ContentType);
        Assert.Contains("Cache-Control: no-store", exchange.Head, StringComparison.OrdinalIgnoreCase);
        Assert.True(JsonTranscoder.IsPlainJson(exchange.Answer.Payload), "a JSON request is answered with a JSON payload");
        var hello = AssertHello(exchange);
        // Every replica and every Hello names the same host key (the one the fixture's first Hello gave).
        Assert.Equal(fixture.Keys.Host.Signature!.Udf, hello.EnvelopedProfileHost!.DecodePayload<ProfileHost>().Signature!.Udf);
        if (WriteDumps)
            await WriteDumpAsync("hello", "Hello in JSON (Null authentication: an unsigned envelope; the answer carries a plain DARE signature).",
                [("Hello", MeshMediaType.Json, DareEnvelope.Decode(body), exchange)]);
    }

    [Fact]
    public async Task Hello_in_JSON_B_is_answered_201_in_JSON_B_signed_by_the_host_key()
    {
        var request = DareEnvelope.Encode(MeshJson.Serialize(new HelloRequest(), MeshEncoding.JsonB), new DareEnvelopeOptions());
        var body = request.ToJsonB();
        Assert.False(JsonTranscoder.IsPlainJson(body), "the request should be JSON-B");

        var exchange = await ExchangeAsync(MeshMediaType.JsonB, body);

        Assert.Equal(201, exchange.Status);
        Assert.Equal("application/json-b", exchange.ContentType);
        var (_, responseBody) = RawHttps.Split(exchange.Response);
        Assert.Equal((byte)'[', responseBody[0]);
        Assert.Equal(exchange.Answer.ToJsonB(), responseBody);
        Assert.False(JsonTranscoder.IsPlainJson(exchange.Answer.Payload), "a JSON-B request is answered with a JSON-B payload");
        AssertHello(exchange);
        if (WriteDumps)
            await WriteDumpAsync("hello-json-b", "Hello in JSON-B: the same exchange as hello.txt with Content-Type application/json-b.",
                [("Hello", MeshMediaType.JsonB, request, exchange)]);
    }

    [Fact]
    public async Task A_bound_account_Status_Transact_and_Download_through_the_gateway()
    {
        using var device = new TestDevice();
        using var account = new TestAccount($"wire-{Guid.NewGuid():N}"[..21] + "@" + MeshStack.SyncDomain);

        // BindAccount, Device mode: the account service binds the address and has the sync service create the stores.
        var bind = await SendAsync(Device(device), new BindRequest
        {
            AccountAddress = account.Address,
            EnvelopedProfileAccount = ProtocolJson.ToEnveloped(account.Profile),
        });
        Assert.Equal(201, bind.Exchange.Status);
        Assert.Equal(201, Assert.IsType<BindResponse>(bind.Response).Status);
        Assert.Null(bind.Manifest.TicketGrant);

        // Status of a fresh account: every store, in the order of the service, none with Index or Digest.
        var empty = await SendAsync(Profile(account, device), new StatusRequest());
        Assert.Equal(201, empty.Exchange.Status);
        Assert.NotNull(empty.Manifest.TicketGrant);
        var emptyStatus = Assert.IsType<StatusResponse>(empty.Response).ContainerStatus!;
        Assert.Equal(["Device", "Contact", "Credential", "Bookmark", "Task", "Network", "Application", "Access", "Publication",
            "Inbound", "Outbound", "Local"], emptyStatus.Select(s => s.Container));
        Assert.All(emptyStatus, s => Assert.True(s.Index is null && s.Digest is null, $"{s.Container} should be empty"));

        // Transact: the Bookmark catalog's frame 0 and a first entry (its apex signed by the administration key),
        // and a message the service frames into the Local spool.
        var frame0 = SequenceHeader();
        var frontier0 = MerkleFrontier.Empty.Append(SHA512.HashData(frame0.Payload));
        var bookmark = MeshJson.Serialize(new CatalogedBookmark { Uid = Mesh.Core.Udf.Udf.Nonce(128), Uri = "https://example.com/", Title = "Example" });
        var frame1 = Frame(bookmark, frontier0, DareKeyPairs.Signer(account.Administrator));
        var frontier1 = frontier0.Append(SHA512.HashData(bookmark));
        var message = DareEnvelope.Encode(
            MeshJson.Serialize(new MessageComplete { MessageId = Mesh.Core.Udf.Udf.Nonce(128), Sender = account.Address, Recipient = account.Address }),
            new DareEnvelopeOptions { DigestAlgorithm = DareAlgorithms.Sha2_512, Signers = [DareKeyPairs.Signer(device.Signature)] });
        var transact = new TransactRequest
        {
            Updates = [new ContainerUpdate { Container = "Bookmark", Envelopes = [ProtocolJson.ToEnveloped(frame0), ProtocolJson.ToEnveloped(frame1)] }],
            Local = [ProtocolJson.ToEnveloped(message)],
        };
        var accepted = await SendAsync(Profile(account, device), transact);
        Assert.Equal(201, accepted.Exchange.Status);
        var acceptedEntries = Assert.IsType<TransactResponse>(accepted.Response).Entries!;
        Assert.Equal(201, accepted.Response.Status);
        Assert.Equal([(0L, 0L, "Accept"), (1L, 1L, "Accept"), (2L, 0L, "Accept")],
            acceptedEntries.Select(e => (e.IndexRequest!.Value, e.IndexContainer!.Value, e.Result)));

        // The same Transact again (a new request envelope, so not a replay): the Bookmark update expected an empty store.
        var stale = await SendAsync(Profile(account, device), transact);
        Assert.Equal(409, stale.Exchange.Status);
        var staleResponse = Assert.IsType<TransactResponse>(stale.Response);
        Assert.Equal(409, staleResponse.Status);
        Assert.Contains("store 'Bookmark' is at index 1", staleResponse.StatusDescription);
        Assert.Equal([(0L, "Conflict"), (1L, "Conflict"), (2L, (string?)null)],
            staleResponse.Entries!.Select(e => (e.IndexRequest!.Value, e.Result)));
        Assert.All(staleResponse.Entries!, e => Assert.Null(e.IndexContainer));

        // Status now: Bookmark at index 1 with the apex after frame 1; Local at index 0, framed by the service.
        var status = await SendAsync(Profile(account, device), new StatusRequest());
        Assert.Equal(201, status.Exchange.Status);
        var stores = Assert.IsType<StatusResponse>(status.Response).ContainerStatus!.ToDictionary(s => s.Container!);
        Assert.Equal(1, stores["Bookmark"].Index);
        Assert.Equal(frontier1.Apex, stores["Bookmark"].Digest);
        Assert.Equal(0, stores["Local"].Index);
        Assert.Equal(MerkleFrontier.Empty.Append(SHA512.HashData(message.Payload)).Apex, stores["Local"].Digest);
        Assert.All(stores.Values.Where(s => s.Container is not ("Bookmark" or "Local")), s => Assert.Null(s.Index));
        // The status list is tagged: {"ContainerStatus":[{"ContainerStatus":{...}}, ...]}.
        Assert.Equal(JsonValueKind.Object, status.Exchange.Body.GetProperty("StatusResponse").GetProperty("ContainerStatus")[0]
            .GetProperty("ContainerStatus").ValueKind);

        // Download, one entry per response: the first page stops after frame 0 with a PageKey, the second carries frame 1.
        var first = await SendAsync(Profile(account, device), new DownloadRequest
        {
            Select = [new ConstraintsSelect { Container = "Bookmark" }],
            ConstraintsPost = new ConstraintsData { MaxEntries = 1 },
        });
        Assert.Equal(201, first.Exchange.Status);
        var firstUpdate = Assert.Single(Assert.IsType<DownloadResponse>(first.Response).Updates!);
        Assert.Equal(("Bookmark", 1L, true), (firstUpdate.Container, firstUpdate.Index!.Value, firstUpdate.Partial == true));
        Assert.Equal(frontier1.Apex, firstUpdate.Digest);
        Assert.Equal(frame0.Payload, Assert.Single(firstUpdate.Envelopes!).Payload ?? []);
        var pageKey = first.Exchange.Body.GetProperty("DownloadResponse").GetProperty("Updates")[0].GetProperty("PageKey").GetString()!;

        var second = await SendAsync(Profile(account, device), new DownloadRequest
        {
            Select = [new ConstraintsSelect { PageKey = pageKey }],
            ConstraintsPost = new ConstraintsData { MaxEntries = 1 },
        });
        Assert.Equal(201, second.Exchange.Status);
        var secondUpdate = Assert.Single(Assert.IsType<DownloadResponse>(second.Response).Updates!);
        Assert.Null(secondUpdate.Partial);
        Assert.False(second.Exchange.Body.GetProperty("DownloadResponse").GetProperty("Updates")[0].TryGetProperty("PageKey", out _));
        var downloaded = ProtocolJson.FromEnveloped(Assert.Single(secondUpdate.Envelopes!), "downloaded frame 1");
        Assert.Equal(bookmark, downloaded.Payload);
        Assert.Equal(1, downloaded.Header.SequenceInfo!.Index);
        Assert.Equal(frontier1.Apex, downloaded.Trailer!.ApexDigest);
        Assert.Equal(frontier1, StoreFrameCheck(frontier0, downloaded));

        // The Local spool as the service framed the message: index, receipt time and digests added, the sender's signature intact.
        var local = await SendAsync(Profile(account, device), new DownloadRequest { Select = [new ConstraintsSelect { Container = "Local" }] });
        Assert.Equal(201, local.Exchange.Status);
        var localUpdate = Assert.Single(Assert.IsType<DownloadResponse>(local.Response).Updates!);
        var framed = ProtocolJson.FromEnveloped(Assert.Single(localUpdate.Envelopes!), "downloaded Local frame 0");
        Assert.Equal(message.Payload, framed.Payload);
        Assert.NotNull(framed.Header.Received);
        Assert.Equal(MerkleFrontier.Empty.Append(SHA512.HashData(message.Payload)), StoreFrameCheck(MerkleFrontier.Empty, framed));
        var sender = DareKeyPairs.Verifier(device.Signature);
        var senderCheck = framed.Verify(s => s.KeyIdentifier == sender.KeyIdentifier ? sender : null);
        Assert.True(senderCheck.IsValid, senderCheck.Problem);

        if (WriteDumps)
        {
            await WriteDumpAsync("bind", "BindAccount in Device mode: the device presents its ProfileDevice; the BindRequest carries the account's ProfileUser.",
                [("BindAccount", MeshMediaType.Json, bind.Request, bind.Exchange)]);
            await WriteDumpAsync("status", "Status in Profile mode after the Transact of transact.txt: Bookmark holds frames 0 and 1, Local one service-framed message, every other store is empty (no Index, no Digest).",
                [("Status", MeshMediaType.Json, status.Request, status.Exchange)]);
            await WriteDumpAsync("transact", "Transact in Profile mode: Bookmark frames 0 and 1 against an empty store plus one Local message, accepted (201); then the same TransactRequest in a new request envelope, refused as stale (409: Conflict for the Bookmark entries, no Result for the Local entry, nothing applied).",
                [("Transact, accepted", MeshMediaType.Json, accepted.Request, accepted.Exchange),
                 ("The same Transact again: Conflict", MeshMediaType.Json, stale.Request, stale.Exchange)]);
            await WriteDumpAsync("download", "Download in Profile mode with MaxEntries 1: the first page stops after frame 0 (Partial, PageKey); the PageKey sent back returns frame 1. Then the Local spool, whose one message the service framed (SequenceInfo.Index, Received, PayloadDigest, ApexDigest added to the envelope transact.txt sent).",
                [("Download, first page", MeshMediaType.Json, first.Request, first.Exchange),
                 ("Download, next page by PageKey", MeshMediaType.Json, second.Request, second.Exchange),
                 ("Download of the Local spool: the message as the service framed it", MeshMediaType.Json, local.Request, local.Exchange)]);
        }
    }

    private RequestCredentials Device(TestDevice device) => new()
    {
        Mode = RequestModes.Device, ServiceUdf = fixture.Keys.ServiceUdf, ProfileDevice = device.Profile, SignatureKey = device.Signature,
    };

    private RequestCredentials Profile(TestAccount account, TestDevice device) => new()
    {
        Mode = RequestModes.Profile, ServiceUdf = fixture.Keys.ServiceUdf, Account = account.Address, ProfileDevice = device.Profile,
        ConnectionDevice = account.Connect(device), SignatureKey = device.Signature,
    };

    /// <summary>Seals <paramref name="request"/>, posts it as JSON, and accepts the answer only as a client does (ADR 0005).</summary>
    private async Task<(DareEnvelope Request, Exchange Exchange, ResponseManifest Manifest, MeshResponse Response)> SendAsync(
        RequestCredentials credentials, MeshRequest request, MeshMediaType? mediaType = null)
    {
        var type = mediaType ?? MeshMediaType.Json;
        var sealedRequest = RequestEnvelope.Seal(type.Serialize(request), credentials);
        var exchange = await ExchangeAsync(type, type.Serialize(sealedRequest));
        Assert.Equal(type.Name, exchange.ContentType);
        var manifest = ResponseEnvelope.Verify(exchange.Answer, fixture.Keys.HostVerifier(), sealedRequest.Header.EnvelopeId!);
        var response = MeshJson.Deserialize<MeshResponse>(exchange.Answer.Payload);
        Assert.Equal(exchange.Status, (int)response.Status!.Value);
        return (sealedRequest, exchange, manifest, response);
    }

    private async Task<Exchange> ExchangeAsync(MeshMediaType mediaType, byte[] body)
    {
        var raw = RawHttps.Request(mediaType.Name, body);
        var response = await RawHttps.ExchangeAsync(fixture.Stack, raw);
        var (head, responseBody) = RawHttps.Split(response);
        var statusLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
        Assert.StartsWith("HTTP/1.1 ", statusLine, StringComparison.Ordinal);
        var contentType = head.Split("\r\n").Single(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))["Content-Type:".Length..].Trim();
        Assert.Equal(responseBody.Length.ToString(), head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
        var answer = DareEnvelope.Decode(responseBody);
        return new Exchange(raw, response, int.Parse(statusLine.Split(' ')[1]), contentType, head, answer, MeshJson.AsJson(answer.Payload).ToArray());
    }

    /// <summary>What a client checks on a Hello answer: the fields this service fills and the host signature.</summary>
    private MeshHelloResponse AssertHello(Exchange exchange)
    {
        var hello = Assert.IsType<MeshHelloResponse>(MeshJson.Deserialize(exchange.Answer.Payload));
        Assert.Equal(201, hello.Status);
        Assert.Equal((3L, 0L), (hello.Version!.Major!.Value, hello.Version.Minor!.Value));
        Assert.Equal(["application/json", "application/json-b", "application/json-c"], hello.Version.Encodings!.SelectMany(e => e.ID!));
        Assert.Equal(64L * 1024, hello.ConstraintsUpdate!.BytesMax);
        Assert.Equal(64L * 1024, hello.ConstraintsPost!.BytesMax);
        Assert.Equal((1L, 64L), (hello.PolicyAccount!.Minimum!.Value, hello.PolicyAccount.Maximum!.Value));
        Assert.False(string.IsNullOrEmpty(hello.PolicyAccount.InvalidCharacters));

        // The service profile is self-signed; its ProfileSignature UDF is the audience of authenticated requests.
        var service = ProtocolJson.FromEnveloped(hello.EnvelopedProfileService!, "EnvelopedProfileService");
        Assert.True(DareSelfSigned.Verify(service).IsValid);
        Assert.Equal(fixture.Keys.ServiceUdf, hello.EnvelopedProfileService!.DecodePayload<ProfileService>().ProfileSignature!.Udf);
        Assert.Equal(fixture.Keys.ServiceUdf, service.Header.EnvelopeId);

        // The answer carries one plain DARE signature (no Manifest) by the Signature key of the self-signed host profile.
        var signature = Assert.Single(exchange.Answer.Signatures);
        Assert.Null(signature.Manifest);
        Assert.Equal(hello.EnvelopedProfileHost!.DecodePayload<ProfileHost>().Signature!.Udf, signature.KeyIdentifier);
        var verification = MeshMessages.VerifyWithHostProfile(exchange.Answer, hello.EnvelopedProfileHost);
        Assert.True(verification.IsValid, verification.Problem);
        return hello;
    }

    /// <summary>Frame 0 of a device-framed store: the sequence header (Merkle), empty payload.</summary>
    private static DareEnvelope SequenceHeader() => new(new DareHeader
    {
        Policy = JsonDocument.Parse("{}").RootElement.Clone(),
        SequenceInfo = new SequenceInfo { DataEncoding = "JSON", ContainerType = DareSequenceType.Merkle, Index = 0 },
        DigestAlgorithm = DareAlgorithms.Sha2_512,
    }, [], Digests([], MerkleFrontier.Empty, null));

    /// <summary>The entry after <paramref name="frontier"/>: SequenceInfo.Index, PayloadDigest, ApexDigest (and an apex signature).</summary>
    private static DareEnvelope Frame(byte[] payload, MerkleFrontier frontier, IDareSigner? apexSigner) => new(new DareHeader
    {
        SequenceInfo = new SequenceInfo { Index = frontier.Count },
        DigestAlgorithm = DareAlgorithms.Sha2_512,
        ContentType = "application/mmm/object",
    }, payload, Digests(payload, frontier, apexSigner));

    private static DareTrailer Digests(byte[] payload, MerkleFrontier frontier, IDareSigner? apexSigner)
    {
        var digest = SHA512.HashData(payload);
        var apex = frontier.Append(digest).Apex;
        return new DareTrailer
        {
            PayloadDigest = digest,
            ApexDigest = apex,
            SequenceSignatures = apexSigner is null ? null
                : [new DareSignature { Algorithm = apexSigner.Algorithm, KeyIdentifier = apexSigner.KeyIdentifier, SignatureValue = apexSigner.Sign(apex) }],
        };
    }

    /// <summary>A client's check of a downloaded frame against the frontier before it; returns the frontier after it.</summary>
    private static MerkleFrontier StoreFrameCheck(MerkleFrontier before, DareEnvelope frame)
    {
        Assert.Equal(before.Count, frame.Header.SequenceInfo!.Index);
        var digest = SHA512.HashData(frame.Payload);
        Assert.Equal(digest, frame.Trailer!.PayloadDigest);
        var after = before.Append(digest);
        Assert.Equal(after.Apex, frame.Trailer.ApexDigest);
        return after;
    }

    private static async Task WriteDumpAsync(string name, string what, IReadOnlyList<(string Title, MeshMediaType MediaType, DareEnvelope Request, Exchange Exchange)> exchanges)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {name}: written by {nameof(WireDumpTests)} (MESH_WRITE_DUMPS=1). Keys, nonces and times are fresh per run.");
        text.AppendLine();
        text.AppendLine(what);
        foreach (var (title, mediaType, request, exchange) in exchanges)
        {
            text.AppendLine();
            text.AppendLine($"# {title}");
            text.AppendLine();
            text.AppendLine("## Request, as sent (HTTP/1.1 over TLS)");
            AppendMessage(text, exchange.Raw, mediaType);
            text.AppendLine();
            Describe(text, "request", request, mediaType);
            text.AppendLine("## Response, as received");
            AppendMessage(text, exchange.Response, mediaType);
            text.AppendLine();
            Describe(text, "response", exchange.Answer, mediaType);
        }
        var directory = Path.Combine(RepositoryRoot(), "docs", "wire-binding");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, name + ".txt"), text.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>The head as text; a JSON body as text, a JSON-B body as a hex dump followed by its JSON reading.</summary>
    private static void AppendMessage(StringBuilder text, byte[] message, MeshMediaType mediaType)
    {
        var (head, body) = RawHttps.Split(message);
        text.AppendLine(head);
        text.AppendLine();
        if (mediaType == MeshMediaType.Json)
        {
            text.AppendLine(Encoding.UTF8.GetString(body));
            return;
        }
        text.AppendLine($"[{body.Length} bytes of {mediaType.Name}, hex]");
        AppendHex(text, body);
        text.AppendLine("[the same body read as JSON: the envelope array with the payload as base64url]");
        text.AppendLine(Encoding.UTF8.GetString(JsonTranscoder.ToJson(body)));
    }

    private static void AppendHex(StringBuilder text, byte[] bytes)
    {
        for (var offset = 0; offset < bytes.Length; offset += 16)
        {
            var line = bytes.AsSpan(offset, Math.Min(16, bytes.Length - offset));
            text.Append(offset.ToString("x6")).Append("  ");
            for (var i = 0; i < 16; i++) text.Append(i < line.Length ? line[i].ToString("x2") + " " : "   ");
            text.Append(' ');
            foreach (var b in line) text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
            text.AppendLine();
        }
    }

    private static void Describe(StringBuilder text, string what, DareEnvelope envelope, MeshMediaType mediaType)
    {
        text.AppendLine($"## The {what} envelope decoded");
        text.AppendLine("header:    " + Encoding.UTF8.GetString(envelope.Header.ToJson()));
        if (mediaType != MeshMediaType.Json)
        {
            text.AppendLine($"payload ({mediaType.Name}, {envelope.Payload.Length} bytes, hex):");
            AppendHex(text, envelope.Payload);
        }
        text.AppendLine("payload:   " + Encoding.UTF8.GetString(MeshJson.AsJson(envelope.Payload)));
        if (envelope.Trailer is { } trailer) text.AppendLine("trailer:   " + Encoding.UTF8.GetString(trailer.ToJson()));
        foreach (var signature in envelope.Signatures)
        {
            if (signature.Manifest is { } manifest)
            {
                text.AppendLine("Manifest:  " + Encoding.UTF8.GetString(manifest));
                text.AppendLine($"SHA-512(Manifest) = {Convert.ToHexStringLower(SHA512.HashData(manifest))}");
            }
            else
            {
                text.AppendLine($"SHA-512(payload) = PayloadDigest = {Convert.ToHexStringLower(SHA512.HashData(envelope.Payload))} (signed as is)");
            }
            text.AppendLine($"signature: alg={signature.Algorithm} kid={signature.KeyIdentifier}");
        }
        if (envelope.Signatures.Count == 0) text.AppendLine("(no signature: Null authentication)");
        text.AppendLine();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mesh.Services.sln"))) return dir.FullName;
        throw new InvalidOperationException("Mesh.Services.sln not found above " + AppContext.BaseDirectory);
    }
}
