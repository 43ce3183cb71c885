using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Mesh.Common.V1;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Mesh.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Encoding = System.Text.Encoding;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Integration.Tests;

/// <summary>Gateway (HTTPS and plain HTTP) → GetAccount double → account service, on the real PostgreSQL.</summary>
public sealed class GatewayAuthenticationFixture : IAsyncLifetime
{
    internal MeshStack Stack { get; private set; } = null!;

    internal ServiceKeys Keys { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await MeshStack.StartAsync(accountDouble: true, plainHttp: true);
        using var client = Stack.Client(HttpVersion.Version11);
        Keys = await ServiceKeys.HelloAsync(client);
    }

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

public sealed class GatewayAuthenticationTests(GatewayAuthenticationFixture fixture) : IClassFixture<GatewayAuthenticationFixture>, IDisposable
{
    static readonly byte[] HelloPayload = Encoding.UTF8.GetBytes("{\"HelloRequest\":{}}");

    private MeshStack Stack => fixture.Stack;
    private ServiceKeys Keys => fixture.Keys;
    private readonly TestDevice _device = new();
    private readonly TestAccount _account = new($"alice-{Guid.NewGuid():N}@example.com");

    public void Dispose()
    {
        _device.Dispose();
        _account.Dispose();
    }

    private void BindAccount() => Stack.AccountDouble!.Bind(_account.Address, _account.Udf, _account.Profile.ToJson());

    private RequestCredentials Device(string? service = null) => new()
    {
        Mode = RequestModes.Device, ServiceUdf = service ?? Keys.ServiceUdf, ProfileDevice = _device.Profile, SignatureKey = _device.Signature,
    };

    private RequestCredentials Profile(DareEnvelope? connection = null) => new()
    {
        Mode = RequestModes.Profile, ServiceUdf = Keys.ServiceUdf, Account = _account.Address, ProfileDevice = _device.Profile,
        ConnectionDevice = connection ?? _account.Connect(_device), SignatureKey = _device.Signature,
    };

    internal static async Task<(HttpStatusCode Status, DareEnvelope Envelope, MeshResponse Response)> PostAsync(HttpClient client, byte[] body,
        AgreementKeyPairOrNull decryption = default)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/.well-known/mmm", content);
        var envelope = DareEnvelope.Decode(await response.Content.ReadAsByteArrayAsync());
        var payload = envelope.IsEncrypted ? envelope.DecryptPayload([DareKeyPairs.Decryption(decryption.Key!)]) : envelope.Payload;
        return (response.StatusCode, envelope, MeshJson.Deserialize<MeshResponse>(payload));
    }

    private async Task<(HttpStatusCode Status, DareEnvelope Envelope, MeshResponse Response)> PostAsync(DareEnvelope request, int? httpsPort = null)
    {
        using var client = Stack.Client(HttpVersion.Version11, httpsPort);
        return await PostAsync(client, request.ToJson());
    }

    private static void AssertRefused((HttpStatusCode Status, DareEnvelope Envelope, MeshResponse Response) answer, HttpStatusCode expected, string named)
    {
        Assert.Equal(expected, answer.Status);
        Assert.Equal((int)expected, answer.Response.Status);
        Assert.Contains(named, answer.Response.StatusDescription, StringComparison.OrdinalIgnoreCase);
    }

    private ResponseManifest AssertAccepted((HttpStatusCode Status, DareEnvelope Envelope, MeshResponse Response) answer, DareEnvelope request)
    {
        Assert.True(answer.Status == HttpStatusCode.Created, $"{answer.Status}: {answer.Response.StatusDescription}");
        Assert.IsType<MeshHelloResponse>(answer.Response);
        return ResponseEnvelope.Verify(answer.Envelope, Keys.HostVerifier(), request.Header.EnvelopeId!);
    }

    private Principal PrincipalReceivedFor(string deviceUdf) =>
        Assert.Single(Stack.AccountDouble!.Bound.HelloPrincipals, p => p?.DeviceUdf == deviceUdf)!;

    [Fact]
    public async Task A_Device_signed_request_is_accepted_and_the_service_receives_the_device_principal()
    {
        var request = RequestEnvelope.Seal(HelloPayload, Device());
        var manifest = AssertAccepted(await PostAsync(request), request);

        Assert.Null(manifest.TicketGrant);
        var principal = PrincipalReceivedFor(_device.Udf);
        Assert.Equal(AuthenticationMode.Device, principal.Mode);
    }

    [Fact]
    public async Task A_Profile_request_is_accepted_with_a_ticket_grant_and_the_service_receives_account_and_device()
    {
        BindAccount();
        var request = RequestEnvelope.Seal(HelloPayload, Profile());
        var manifest = AssertAccepted(await PostAsync(request), request);

        var grant = Assert.IsType<TicketGrant>(manifest.TicketGrant);
        Assert.Equal(32, SessionKeyGrant.OpenSessionKey(grant, _device.Encryption).Length);
        var principal = PrincipalReceivedFor(_device.Udf);
        Assert.Equal(AuthenticationMode.Profile, principal.Mode);
        Assert.Equal(_account.Address, principal.AccountAddress);
        Assert.Equal(_account.Udf, principal.AccountUdf);
    }

    [Fact]
    public async Task An_unsigned_request_for_an_account_scoped_transaction_is_refused_with_401()
    {
        var unsigned = DareEnvelope.Encode(Encoding.UTF8.GetBytes("{\"StatusRequest\":{}}"), new DareEnvelopeOptions());
        AssertRefused(await PostAsync(unsigned), HttpStatusCode.Unauthorized, "StatusRequest needs Profile authentication");
    }

    [Fact]
    public async Task A_wrongly_signed_request_is_refused_with_401_and_the_same_request_rightly_signed_is_accepted()
    {
        var wrong = RequestEnvelope.Seal(HelloPayload, Device());
        var signature = wrong.Signatures[0];
        signature.SignatureValue![0] ^= 0x40;
        AssertRefused(await PostAsync(wrong), HttpStatusCode.Unauthorized, "BadSignature");

        var right = RequestEnvelope.Seal(HelloPayload, Device());
        AssertAccepted(await PostAsync(right), right);
        Assert.DoesNotContain(Stack.AccountDouble!.Bound.HelloPrincipals, p => p?.DeviceUdf == _device.Udf && p.Mode != AuthenticationMode.Device);
    }

    [Fact]
    public async Task A_Profile_request_whose_connection_is_signed_by_another_administration_key_is_refused_with_401()
    {
        BindAccount();
        using var stranger = new TestAccount(_account.Address);
        AssertRefused(await PostAsync(RequestEnvelope.Seal(HelloPayload, Profile(stranger.Connect(_device)))),
            HttpStatusCode.Unauthorized, "ConnectionNotSignedByAdministrator");

        var bound = RequestEnvelope.Seal(HelloPayload, Profile());
        AssertAccepted(await PostAsync(bound), bound);
    }

    [Fact]
    public async Task A_Profile_request_for_an_account_that_is_not_bound_is_refused_with_404()
    {
        AssertRefused(await PostAsync(RequestEnvelope.Seal(HelloPayload, Profile())), HttpStatusCode.NotFound, "is not bound");
    }

    [Fact]
    public async Task A_replayed_request_is_refused_by_the_same_gateway_and_by_a_second_gateway_on_the_same_database()
    {
        var request = RequestEnvelope.Seal(HelloPayload, Device());
        AssertAccepted(await PostAsync(request), request);

        AssertRefused(await PostAsync(request), HttpStatusCode.Unauthorized, "replayed");
        var second = await Stack.StartSecondGatewayAsync();
        AssertRefused(await PostAsync(request, second), HttpStatusCode.Unauthorized, "replayed");
        var fresh = RequestEnvelope.Seal(HelloPayload, Device());
        AssertAccepted(await PostAsync(fresh, second), fresh);
        Assert.Equal(2, Stack.AccountDouble!.Bound.HelloPrincipals.Count(p => p?.DeviceUdf == _device.Udf));
    }

    [Fact]
    public async Task One_request_sent_many_times_at_once_is_accepted_once_and_refused_as_replayed_every_other_time()
    {
        // Sent together, the copies reach the replay table in one insert or a few: each pair is a first sight once.
        var request = RequestEnvelope.Seal(HelloPayload, Device());
        var others = Enumerable.Range(0, 7).Select(_ => RequestEnvelope.Seal(HelloPayload, Device())).ToList();

        var copies = Enumerable.Range(0, 12).Select(_ => PostAsync(request));
        var distinct = others.Select(other => PostAsync(other));
        var answers = await Task.WhenAll(copies.Concat(distinct));

        AssertAccepted(Assert.Single(answers.Take(12), a => a.Status == HttpStatusCode.Created), request);
        Assert.All(answers.Take(12).Where(a => a.Status != HttpStatusCode.Created), a => AssertRefused(a, HttpStatusCode.Unauthorized, "replayed"));
        Assert.All(answers.Skip(12).Zip(others), pair => AssertAccepted(pair.First, pair.Second));
    }

    [Fact]
    public async Task Copies_of_one_request_queued_behind_an_insert_on_its_way_are_one_first_sight_and_replays()
    {
        var table = Stack.Gateway.Services.GetRequiredService<Mesh.Gateway.Authentication.ReplayTable>();
        var kid = "MKID-" + Guid.NewGuid().ToString("N");

        // The first call sends its insert at once; the copies made while it is on its way wait together
        // for the next one (usually: a copy made after it returned starts an insert of its own).
        var ahead = table.FirstSightAsync(kid, "ahead", CancellationToken.None);
        var copies = Enumerable.Range(0, 5).Select(_ => table.FirstSightAsync(kid, "copied", CancellationToken.None)).ToList();
        var answers = await Task.WhenAll(copies);

        Assert.True(await ahead);
        Assert.Single(answers, first => first);
        Assert.False(await table.FirstSightAsync(kid, "ahead", CancellationToken.None));
    }

    [Fact]
    public async Task A_request_created_outside_the_window_is_refused_and_one_inside_it_accepted()
    {
        AssertRefused(await PostAsync(RequestEnvelope.Seal(HelloPayload, Device(), created: DateTime.UtcNow.AddMinutes(-10))),
            HttpStatusCode.Unauthorized, "StaleCreated");
        AssertRefused(await PostAsync(RequestEnvelope.Seal(HelloPayload, Device(), created: DateTime.UtcNow.AddMinutes(10))),
            HttpStatusCode.Unauthorized, "FutureCreated");
        var recent = RequestEnvelope.Seal(HelloPayload, Device(), created: DateTime.UtcNow.AddMinutes(-2));
        AssertAccepted(await PostAsync(recent), recent);
    }

    [Fact]
    public async Task A_request_addressed_to_another_service_is_refused()
    {
        using var other = new TestDevice();
        var request = RequestEnvelope.Seal(HelloPayload, Device(service: other.Udf));
        AssertRefused(await PostAsync(request), HttpStatusCode.Unauthorized, "WrongAudience");
    }

    [Fact]
    public async Task A_Ticket_request_is_accepted_with_the_granted_session_key_and_refused_with_a_forged_MAC()
    {
        BindAccount();
        var profile = RequestEnvelope.Seal(HelloPayload, Profile());
        var grant = AssertAccepted(await PostAsync(profile), profile).TicketGrant!;
        var sessionKey = SessionKeyGrant.OpenSessionKey(grant, _device.Encryption);

        RequestCredentials Ticket(byte[] key) => new()
        {
            Mode = RequestModes.Ticket, ServiceUdf = Keys.ServiceUdf, Account = _account.Address, Ticket = grant.Ticket, SessionKey = key,
        };
        var forged = RequestEnvelope.Seal(HelloPayload, Ticket(RandomNumberGenerator.GetBytes(32)));
        AssertRefused(await PostAsync(forged), HttpStatusCode.Unauthorized, "BadMac");

        var calls = Stack.AccountDouble!.Bound.GetAccountCalls;
        var ticket = RequestEnvelope.Seal(HelloPayload, Ticket(sessionKey));
        var manifest = AssertAccepted(await PostAsync(ticket), ticket);
        Assert.Null(manifest.TicketGrant);
        Assert.Equal(calls, Stack.AccountDouble.Bound.GetAccountCalls);
        Assert.Contains(Stack.AccountDouble.Bound.HelloPrincipals, p => p?.DeviceUdf == _device.Udf && p.Mode == AuthenticationMode.Ticket
            && p.AccountAddress == _account.Address && p.AccountUdf == _account.Udf);
    }

    [Fact]
    public async Task Over_plain_HTTP_an_unencrypted_request_is_refused_with_403_and_an_encrypted_one_answered_encrypted_to_the_device()
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Stack.HttpPort}") };
        var plain = RequestEnvelope.Seal(HelloPayload, Device());
        var refused = await PostAsync(client, plain.ToJson());
        AssertRefused(refused, HttpStatusCode.Forbidden, "must be encrypted");

        var encrypted = RequestEnvelope.Seal(HelloPayload, Device(), encryptTo: Keys.HostEncryption());
        var answer = await PostAsync(client, encrypted.ToJson(), new AgreementKeyPairOrNull(_device.Encryption));
        Assert.True(answer.Envelope.IsEncrypted, "the response over plain HTTP must be encrypted");
        AssertAccepted(answer, encrypted);
        Assert.Throws<Mesh.Core.MeshCryptoException>(() => answer.Envelope.DecryptPayload([]));
    }
}

/// <summary>The device key that opens an encrypted response, when one is expected.</summary>
internal readonly record struct AgreementKeyPairOrNull(Mesh.Core.Cryptography.AgreementKeyPair? Key);
