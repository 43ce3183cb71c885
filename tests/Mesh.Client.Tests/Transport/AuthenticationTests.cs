using System.Net;
using System.Security.Cryptography;
using Mesh.Client.Transport;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;
using UdfCodec = Mesh.Core.Udf.Udf;

namespace Mesh.Client.Tests.Transport;

/// <summary>
/// The client's authenticated requests against a service double that checks them with the
/// gateway's own verifier (Mesh.Core.Protocol) and answers as the gateway does.
/// </summary>
public sealed class AuthenticationTests : IDisposable
{
    readonly TestService service = new();
    readonly SignatureKeyPair deviceProfileKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly SignatureKeyPair deviceSignature = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly AgreementKeyPair deviceEncryption = (AgreementKeyPair)KeyPair.Generate(MeshAlgorithms.X448);
    readonly SignatureKeyPair accountProfileKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly SignatureKeyPair adminKey = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed448);
    readonly TicketKeyRing tickets = new([RandomNumberGenerator.GetBytes(32)]);
    const string Account = "alice@example.com";

    public void Dispose()
    {
        service.Dispose();
        deviceProfileKey.Dispose();
        deviceSignature.Dispose();
        deviceEncryption.Dispose();
        accountProfileKey.Dispose();
        adminKey.Dispose();
        tickets.Dispose();
    }

    string ServiceUdf => UdfCodec.KeyFingerprint(service.ServiceProfileKey);

    DeviceCredential Device => new(DareEnvelope.Decode(TestService.Signed(new ProfileDevice
    {
        ProfileSignature = TestService.Describe(deviceProfileKey),
        Signature = TestService.Describe(deviceSignature),
        Encryption = TestService.Describe(deviceEncryption),
    }, deviceProfileKey)), deviceSignature, deviceEncryption);

    DareEnvelope Connection => DareEnvelope.Decode(TestService.Signed(new ConnectionDevice
    {
        AccountAddress = Account,
        SubjectUdf = UdfCodec.KeyFingerprint(deviceProfileKey),
        Signature = TestService.Describe(deviceSignature),
        Encryption = TestService.Describe(deviceEncryption),
    }, adminKey));

    ProfileUser AccountProfile => new() { AccountAddress = Account, AdministratorSignature = TestService.Describe(adminKey) };

    /// <summary>Requests the double saw, with the mode it verified.</summary>
    readonly List<string> modes = [];

    /// <summary>What the double does with a verified request; by default it answers 200 with the request id.</summary>
    Func<AuthenticatedRequest, (MeshResponse Response, string? RequestId)>? answer;

    bool expireTickets;

    HttpResponseMessage Gateway(HttpRequestMessage request, byte[] body)
    {
        var envelope = DareEnvelope.Decode(body);
        if (envelope.Signatures.Count == 0)
            return RecordingHandler.Reply(TestService.Signed(service.HelloResponse(), service.HostSignatureKey), HttpStatusCode.Created);
        var plainHttp = request.RequestUri!.Scheme == "http";
        Assert.Equal(plainHttp, envelope.IsEncrypted);
        var presented = RequestVerifier.Read(envelope);
        RequestVerifier.CheckFreshness(presented, ServiceUdf, DateTime.UtcNow, RequestVerifier.DefaultWindow);
        modes.Add(presented.Mode);
        AuthenticatedRequest accepted;
        TicketGrant? grant = null;
        MeshResponse response;
        try
        {
            accepted = presented.Mode switch
            {
                RequestModes.Device => RequestVerifier.VerifyDevice(presented),
                RequestModes.Profile => RequestVerifier.VerifyProfile(presented, AccountProfile, UdfCodec.KeyFingerprint(accountProfileKey)),
                _ => RequestVerifier.VerifyTicket(presented, tickets, expireTickets ? DateTime.UtcNow.AddDays(1) : DateTime.UtcNow),
            };
            if (accepted.Mode == RequestModes.Profile) grant = SessionKeyGrant.Issue(accepted, tickets, DateTime.UtcNow, TimeSpan.FromHours(1));
            response = new StatusResponse { Status = 200 };
        }
        catch (MeshAuthenticationException e)
        {
            response = new MeshResponse { Status = 401, StatusDescription = $"Authentication refused ({e.Problem}): {e.Message}." };
            accepted = null!;
        }
        var requestId = envelope.Header.EnvelopeId!;
        if (accepted is not null && answer is not null) (response, requestId) = (answer(accepted).Response, answer(accepted).RequestId ?? requestId);
        var reply = ResponseEnvelope.Seal(MeshJson.Serialize(response), DareKeyPairs.Signer(service.HostSignatureKey), requestId, grant,
            plainHttp && accepted is not null ? accepted.DeviceRecipient() : null);
        return RecordingHandler.Reply(reply.ToJson(), (HttpStatusCode)(int)response.Status!);
    }

    MeshServiceClient Client(string scheme = "https") =>
        new(new HttpClient(new RecordingHandler(Gateway)), new Uri($"{scheme}://mesh.test/.well-known/mmm"));

    [Fact]
    public async Task A_Device_request_verifies_at_the_gateway_and_its_answer_is_accepted()
    {
        var response = await Client().SendAsync<StatusResponse>(new StatusRequest(), new DeviceAuthentication(Device));

        Assert.Equal(200, response.Status);
        Assert.Equal([RequestModes.Device], modes);
    }

    [Fact]
    public async Task An_answer_naming_another_request_is_refused_so_a_replayed_response_fails()
    {
        answer = _ => (new StatusResponse { Status = 200 }, UdfCodec.Nonce(128));

        var error = await Assert.ThrowsAsync<MeshServiceException>(() => Client().SendAsync<StatusResponse>(new StatusRequest(), new DeviceAuthentication(Device)));
        Assert.Contains("not the request just sent", error.Message);
    }

    [Fact]
    public async Task A_Profile_request_obtains_a_ticket_and_the_next_request_is_sent_in_Ticket_mode()
    {
        var client = Client();
        var profile = new ProfileAuthentication(Device, Account, Connection);
        var authentication = new TicketAuthentication(profile);

        await client.SendAsync<StatusResponse>(new StatusRequest(), authentication);
        Assert.NotNull(profile.Grant);
        await client.SendAsync<StatusResponse>(new StatusRequest(), authentication);

        Assert.Equal([RequestModes.Profile, RequestModes.Ticket], modes);
    }

    [Fact]
    public async Task A_ticket_refused_as_expired_falls_back_to_Profile_once_and_succeeds()
    {
        var client = Client();
        var authentication = new TicketAuthentication(new ProfileAuthentication(Device, Account, Connection));
        await client.SendAsync<StatusResponse>(new StatusRequest(), authentication);
        expireTickets = true;

        var response = await client.SendAsync<StatusResponse>(new StatusRequest(), authentication);

        Assert.Equal(200, response.Status);
        Assert.Equal([RequestModes.Profile, RequestModes.Ticket, RequestModes.Profile], modes);
    }

    [Fact]
    public async Task A_ticket_refused_for_another_reason_is_not_retried()
    {
        var client = Client();
        var profile = new ProfileAuthentication(Device, Account, Connection);
        var authentication = new TicketAuthentication(profile);
        await client.SendAsync<StatusResponse>(new StatusRequest(), authentication);
        tickets.Dispose();

        var error = await Assert.ThrowsAsync<MeshServiceException>(() => client.SendAsync<StatusResponse>(new StatusRequest(), authentication));
        Assert.Equal(401, error.Status);
        Assert.Equal([RequestModes.Profile, RequestModes.Ticket], modes);
    }

    [Fact]
    public async Task Over_plain_HTTP_the_request_is_encrypted_to_the_host_and_the_encrypted_answer_is_opened()
    {
        var response = await Client("http").SendAsync<StatusResponse>(new StatusRequest(), new DeviceAuthentication(Device));

        Assert.Equal(200, response.Status);
        Assert.Equal([RequestModes.Device], modes);
    }
}
