using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Integration.Tests.Support;
using Encoding = System.Text.Encoding;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Integration.Tests;

/// <summary>Gateway on Kestrel (TLS), an account service on Kestrel, the real PostgreSQL; the gateway's first account address is dead.</summary>
public sealed class GatewayStackFixture : IAsyncLifetime
{
    /// <summary>Small, so that exceeding it is cheap; a Hello request is far below it.</summary>
    public const int MaxRequestBytes = 16 * 1024;

    internal MeshStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await MeshStack.StartAsync(deadFirst: true, maxRequestBytes: MaxRequestBytes);

    public async Task DisposeAsync() => await Stack.DisposeAsync();
}

public sealed class GatewayMeshTests(GatewayStackFixture fixture) : IClassFixture<GatewayStackFixture>
{
    private MeshStack Stack => fixture.Stack;

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType = "application/json", Version? version = null,
        string path = "/.well-known/mmm", Action<HttpRequestMessage>? adjust = null)
    {
        using var client = Stack.Client(version ?? HttpVersion.Version11);
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = client.DefaultRequestVersion,
            VersionPolicy = client.DefaultVersionPolicy,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        adjust?.Invoke(request);
        return await client.SendAsync(request);
    }

    private async Task<MeshHelloResponse> AssertSignedHelloAsync(HttpResponseMessage response, string contentType)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        var (envelope, payload) = MeshMessages.Open(body);
        var hello = Assert.IsType<MeshHelloResponse>(payload);
        Assert.Equal(201, hello.Status);
        var verification = MeshMessages.VerifyWithHostProfile(envelope, hello.EnvelopedProfileHost!);
        Assert.True(verification.IsValid, verification.Problem);
        return hello;
    }

    private static async Task<MeshResponse> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string named)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(expected, response.StatusCode);
        var (_, payload) = MeshMessages.Open(body);
        var error = Assert.IsType<MeshResponse>(payload);
        Assert.Equal((int)expected, error.Status);
        Assert.Contains(named, error.StatusDescription, StringComparison.OrdinalIgnoreCase);
        return error;
    }

    [Fact]
    public async Task Hello_as_a_JSON_envelope_is_answered_with_a_host_signed_MeshHelloResponse_and_status_201()
    {
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"));

        var hello = await AssertSignedHelloAsync(response, "application/json");
        Assert.Equal(3, hello.Version!.Major);
    }

    [Fact]
    public async Task Hello_as_a_JSON_B_envelope_is_answered_in_JSON_B()
    {
        var payload = MeshJson.Serialize(new HelloRequest(), MeshEncoding.JsonB);
        using var response = await PostAsync(MeshMessages.Envelope(payload, DareEncoding.JsonB), "application/json-b");

        var body = await response.Content.ReadAsByteArrayAsync();
        var envelope = DareEnvelope.Decode(body);
        Assert.False(JsonTranscoder.IsPlainJson(envelope.Payload), "the response payload should be JSON-B");
        Assert.Equal(envelope.ToJsonB(), body);
        await AssertSignedHelloAsync(response, "application/json-b");
    }

    [Fact]
    public async Task Hello_over_HTTP_2_is_answered_the_same_way()
    {
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"), version: HttpVersion.Version20);

        Assert.Equal(HttpVersion.Version20, response.Version);
        await AssertSignedHelloAsync(response, "application/json");
    }

    [Fact]
    public async Task A_bare_HelloRequest_body_is_accepted()
    {
        using var response = await PostAsync("{\"HelloRequest\":{}}"u8.ToArray());

        await AssertSignedHelloAsync(response, "application/json");
    }

    [Theory]
    [InlineData("{\"Hello\":{}}")]
    [InlineData("{\"MeshHelloRequest\":{}}")]
    public async Task Other_spellings_of_the_Hello_tag_are_accepted(string payload)
    {
        using var response = await PostAsync(MeshMessages.Envelope(payload));

        await AssertSignedHelloAsync(response, "application/json");
    }

    [Fact]
    public async Task Paths_below_the_well_known_prefix_are_served_too()
    {
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"), path: "/.well-known/mmm/example.com");

        await AssertSignedHelloAsync(response, "application/json");
    }

    [Fact]
    public async Task Every_Hello_succeeds_although_the_first_account_address_is_dead()
    {
        for (var i = 0; i < 4; i++)
        {
            using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        Assert.Contains(Stack.Gateway.Logs.Entries, e => e.Message.Contains("account replica", StringComparison.Ordinal)
            && e.Message.Contains("unavailable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Methods_other_than_POST_are_refused_with_405(string method)
    {
        using var client = Stack.Client(HttpVersion.Version11);
        var request = new HttpRequestMessage(new HttpMethod(method), "/.well-known/mmm");
        if (method == "PUT") request.Content = new ByteArrayContent(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        using var response = await client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, $"Method {method} is not allowed");
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/xml")]
    public async Task An_unsupported_content_type_is_refused_with_415(string contentType)
    {
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"), contentType);

        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, $"'{contentType}' is not accepted");
    }

    public static TheoryData<string, byte[], string> MalformedBodies
    {
        get
        {
            var envelope = MeshMessages.Envelope("{\"HelloRequest\":{}}");
            return new()
            {
                { "empty", [], "body is empty" },
                { "whitespace", " \r\n"u8.ToArray(), "body is empty" },
                { "truncated envelope", envelope[..(envelope.Length / 2)], "not a valid DARE envelope" },
                { "not an envelope", "hello"u8.ToArray(), "not a DARE envelope" },
                { "binary noise", [0xF0, 0x00, 0x13, 0x37], "not a DARE envelope" },
                { "envelope without payload", "[{}]"u8.ToArray(), "payload is empty" },
                { "payload not JSON", MeshMessages.Envelope("not json at all"), "not a Mesh request" },
                { "unknown tag", MeshMessages.Envelope("{\"NoSuchRequest\":{}}"), "not a Mesh request" },
                { "tag of a response", MeshMessages.Envelope("{\"MeshHelloResponse\":{}}"), "not a Mesh request" },
            };
        }
    }

    [Theory, MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_is_refused_with_400_and_a_MeshResponse_naming_the_problem(string what, byte[] body, string named)
    {
        using var response = await PostAsync(body);

        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, named);
        Assert.False(string.IsNullOrEmpty(error.StatusDescription), what);
    }

    [Theory]
    [InlineData("{\"StatusRequest\":{}}", "StatusRequest needs Profile authentication")]
    [InlineData("{\"BindRequest\":{\"AccountAddress\":\"alice@example.com\"}}", "BindRequest needs Device authentication")]
    [InlineData("{\"DownloadRequest\":{}}", "DownloadRequest needs Profile authentication")]
    public async Task An_account_scoped_request_without_authentication_is_refused_with_401(string payload, string named)
    {
        using var response = await PostAsync(MeshMessages.Envelope(payload));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, named);
    }

    [Fact]
    public async Task A_body_declared_larger_than_the_limit_is_refused_with_413()
    {
        var body = new byte[GatewayStackFixture.MaxRequestBytes + 1];
        body[0] = (byte)'[';
        using var response = await PostAsync(body);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, $"Content-Length {body.Length} exceeds the limit");
    }

    [Fact]
    public async Task A_chunked_body_is_refused_with_413_once_it_passes_the_limit_without_reading_the_rest()
    {
        await using var tls = await RawHttps.ConnectAsync(Stack);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /.well-known/mmm HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
        var chunk = new byte[4096];
        Array.Fill(chunk, (byte)' ');
        // Four times the limit, and no closing zero-length chunk: a server waiting for the whole body would never answer.
        for (var sent = 0; sent < 4 * GatewayStackFixture.MaxRequestBytes; sent += chunk.Length)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            await tls.WriteAsync(chunk);
            await tls.WriteAsync("\r\n"u8.ToArray());
        }
        await tls.FlushAsync();
        var (head, body) = RawHttps.Split(await RawHttps.ReadToEndAsync(tls));

        Assert.StartsWith("HTTP/1.1 413", head, StringComparison.Ordinal);
        var error = Assert.IsType<MeshResponse>(MeshMessages.Open(DechunkIfNeeded(head, body)).Payload);
        Assert.Contains("the body exceeds the limit", error.StatusDescription);
    }

    private static byte[] DechunkIfNeeded(string head, byte[] body) =>
        head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? throw new InvalidOperationException("unexpected chunked response") : body;

    [Fact]
    public async Task The_gateway_keeps_serving_after_bad_input()
    {
        using (await PostAsync([0x00, 0x01])) { }
        using (await PostAsync(MeshMessages.Envelope("{\"NoSuchRequest\":{}}"))) { }
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"));

        await AssertSignedHelloAsync(response, "application/json");
    }

    [Fact]
    public async Task The_traceparent_of_the_request_reaches_the_account_service()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"),
            adjust: r => r.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains(Stack.Accounts[0].Logs.Entries, e => e.Message.StartsWith("Hello answered", StringComparison.Ordinal)
            && e.Scope.GetValueOrDefault("TraceId") == traceId);
    }

    [Fact]
    public async Task Each_request_is_logged_with_the_request_id_it_is_answered_with()
    {
        using var response = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        var requestId = Assert.Single(response.Headers.GetValues("Mesh-Request-Id"));

        Assert.Contains(Stack.Gateway.Logs.Entries, e => e.Message == "Mesh Hello answered 201"
            && e.Scope.GetValueOrDefault("RequestId") == requestId);
    }

    [Fact]
    public async Task Answered_requests_are_logged_at_Debug_and_refused_ones_at_Information()
    {
        using var answered = await PostAsync(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        using var refused = await PostAsync(MeshMessages.Envelope("{\"NoSuchRequest\":{}}"));
        var answeredId = Assert.Single(answered.Headers.GetValues("Mesh-Request-Id"));
        var refusedId = Assert.Single(refused.Headers.GetValues("Mesh-Request-Id"));

        var entries = Stack.Gateway.Logs.Entries.Where(e => e.Category == typeof(Mesh.Gateway.MeshEndpoint).FullName).ToList();
        Assert.Equal(LogLevel.Debug, Assert.Single(entries, e => e.Scope.GetValueOrDefault("RequestId") == answeredId).Level);
        var refusal = Assert.Single(entries, e => e.Scope.GetValueOrDefault("RequestId") == refusedId);
        Assert.Equal(LogLevel.Information, refusal.Level);
        Assert.StartsWith("Mesh - answered 400: The payload is not a Mesh request", refusal.Message);
    }
}

public sealed class GatewayBackendDownTests
{
    [Fact]
    public async Task With_its_only_account_replica_down_the_gateway_answers_503_and_stays_up()
    {
        await using var stack = await MeshStack.StartAsync();
        await stack.StopAccountsAsync();
        using var client = stack.Client(HttpVersion.Version11);
        var content = new ByteArrayContent(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/.well-known/mmm", content);
        var (_, payload) = MeshMessages.Open(await response.Content.ReadAsByteArrayAsync());
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = Assert.IsType<MeshResponse>(payload);
        Assert.Equal(503, error.Status);
        Assert.Contains("No account replica is available", error.StatusDescription);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
