using System.Net;
using Mesh.Client.Transport;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;
using Mesh.Core.Udf;

namespace Mesh.Client.Tests.Transport;

public sealed class MeshServiceClientTests : IDisposable
{
    static readonly Uri Endpoint = new("https://mesh.test/.well-known/mmm");
    readonly TestService service = new();

    public void Dispose() => service.Dispose();

    static MeshServiceClient ClientOf(RecordingHandler handler) => new(new HttpClient(handler), Endpoint);

    [Fact]
    public async Task Hello_posts_an_unsigned_JSON_envelope_and_reads_the_service_and_host_UDFs()
    {
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(service.HelloResponse(), service.HostSignatureKey)));
        var hello = await ClientOf(handler).HelloAsync();

        Assert.Equal(Udf.KeyFingerprint(service.ServiceProfileKey), hello.ServiceUdf);
        Assert.Equal(Udf.KeyFingerprint(service.HostProfileKey), hello.HostUdf);
        Assert.Equal("3.0", hello.Version);
        Assert.Equal(["application/json", "application/json-b"], hello.Encodings);

        var (request, body) = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Endpoint, request.RequestUri);
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal((byte)'[', body[0]);
        var envelope = DareEnvelope.Decode(body);
        Assert.Empty(envelope.Signatures);
        Assert.IsType<HelloRequest>(MeshJson.Deserialize(envelope.Payload));
    }

    [Fact]
    public async Task A_response_not_signed_by_the_host_Signature_key_is_refused()
    {
        foreach (var signer in new[] { null, service.HostProfileKey, service.ServiceProfileKey })
        {
            var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(service.HelloResponse(), signer)));
            var error = await Assert.ThrowsAsync<MeshServiceException>(() => ClientOf(handler).HelloAsync());
            Assert.Contains("not signed by the host key", error.Message);
        }
    }

    [Fact]
    public async Task A_host_profile_that_does_not_verify_is_refused()
    {
        var hostProfile = DareEnvelope.Decode(service.HostProfile());
        var payload = hostProfile.Payload.ToArray();
        payload[payload.Length / 2] ^= 0x01;
        var forged = new DareEnvelope(hostProfile.Header, payload, hostProfile.Trailer).ToJson();
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(service.HelloResponse(forged), service.HostSignatureKey)));
        await Assert.ThrowsAnyAsync<Mesh.Core.MeshException>(() => ClientOf(handler).HelloAsync());
    }

    [Fact]
    public async Task An_error_status_in_the_payload_is_reported_with_its_description()
    {
        var refusal = new MeshResponse { Status = 413, StatusDescription = "Request is too large" };
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(refusal, service.HostSignatureKey), HttpStatusCode.RequestEntityTooLarge));
        var error = await Assert.ThrowsAsync<MeshServiceException>(() => ClientOf(handler).HelloAsync());
        Assert.Equal(413, error.Status);
        Assert.Contains("413 Request is too large", error.Message);
    }

    [Fact]
    public async Task A_body_that_is_not_an_envelope_is_a_clear_error()
    {
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply("<html>Bad Gateway</html>"u8.ToArray(), HttpStatusCode.BadGateway));
        var error = await Assert.ThrowsAsync<MeshServiceException>(() => ClientOf(handler).HelloAsync());
        Assert.Contains("HTTP 502 without a DARE envelope", error.Message);
    }

    [Fact]
    public async Task Null_authentication_carries_only_Hello()
    {
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(service.HelloResponse(), service.HostSignatureKey)));
        var client = ClientOf(handler);
        var error = await Assert.ThrowsAsync<MeshClientException>(() => client.SendAsync<StatusResponse>(new StatusRequest(), NullAuthentication.Instance));
        Assert.Contains("Null authentication", error.Message);
        Assert.Single(handler.Requests); // the Hello that fetched the host key; the StatusRequest was never sent
        Assert.NotNull(client.Hello);
    }

    [Fact]
    public async Task Later_responses_are_checked_against_the_host_key_learned_from_Hello()
    {
        var signer = service.HostSignatureKey;
        var handler = new RecordingHandler((_, _) => RecordingHandler.Reply(TestService.Signed(service.HelloResponse(), signer)));
        var client = ClientOf(handler);
        await client.HelloAsync();
        var response = await client.SendAsync<MeshHelloResponse>(new HelloRequest(), NullAuthentication.Instance);
        Assert.Equal(201, response.Status);
        signer = service.ServiceProfileKey;
        await Assert.ThrowsAsync<MeshServiceException>(() => client.SendAsync<MeshHelloResponse>(new HelloRequest(), NullAuthentication.Instance));
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_service_error_naming_it()
    {
        var client = new MeshServiceClient(new HttpClient(), new Uri("http://127.0.0.1:1/.well-known/mmm"));
        var error = await Assert.ThrowsAsync<MeshServiceException>(() => client.HelloAsync());
        Assert.Contains("cannot reach http://127.0.0.1:1/.well-known/mmm", error.Message);
    }
}
