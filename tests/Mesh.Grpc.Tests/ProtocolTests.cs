using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Mesh.Grpc.Client;
using Mesh.Grpc.Protocol;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests;

/// <summary>The protocol's value formats (PROTOCOL-HTTP2.md) and the API surface's own rules, without I/O.</summary>
public sealed class ProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3_000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("99999900n", 99.9999)]
    [InlineData("1n", 0.0001)]
    public void Grpc_timeout_units_parse_to_their_duration(string value, double milliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(milliseconds, timeout.TotalMilliseconds, precision: 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("100")]
    [InlineData("123456789S")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public void Malformed_grpc_timeout_is_rejected(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0.5)]
    [InlineData(300)]
    [InlineData(86_400_000)]
    [InlineData(400 * 86_400_000.0)]
    public void Formatted_grpc_timeout_has_at_most_8_digits_and_never_shortens_the_deadline(double milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        var value = GrpcTimeout.Format(timeout);
        Assert.InRange(value.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(value, out var parsed));
        Assert.True(parsed >= timeout);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("ü", "%C3%BC")]
    [InlineData("tab\tend", "tab%09end")]
    public void Grpc_message_is_percent_encoded_utf8(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcStatusMessage.Encode(message));
        Assert.Equal(message, GrpcStatusMessage.Decode(encoded));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%zz", "%zz")]
    [InlineData("%C3", "\uFFFD")]
    public void Grpc_message_decoding_is_lenient_with_bad_escapes(string encoded, string decoded) =>
        Assert.Equal(decoded, GrpcStatusMessage.Decode(encoded));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpcx", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Only_application_grpc_and_its_subtypes_are_gRPC_content_types(string? contentType, bool expected) =>
        Assert.Equal(expected, GrpcProtocol.IsGrpcContentType(contentType));

    [Fact]
    public void Metadata_keys_are_lower_cased()
    {
        var metadata = new Metadata { { "X-Account", "alice" } };
        Assert.Equal("x-account", metadata[0].Key);
        Assert.Equal("alice", metadata.GetValue("x-account"));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("colon:key")]
    [InlineData("")]
    public void Metadata_key_outside_the_allowed_characters_is_rejected(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new Metadata.Entry(key, "v"));

    [Fact]
    public void Metadata_text_value_must_be_printable_ascii() =>
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("k", "ünïcode"));

    [Fact]
    public void Binary_metadata_needs_the_bin_suffix_and_text_metadata_must_not_have_it()
    {
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("k", [1, 2]));
        Assert.Throws<ArgumentException>(() => new Metadata.Entry("k-bin", "text"));
    }

    [Fact]
    public void Frozen_metadata_cannot_change() =>
        Assert.Throws<InvalidOperationException>(() => Metadata.Empty.Add("k", "v"));

    [Fact]
    public void Generated_method_descriptor_names_the_HTTP2_path()
    {
        var binder = new RecordingBinder();
        Tester.BindService(binder, null!);
        Assert.Contains("/mesh.grpc.test.v1.Tester/Echo", binder.Methods);
        Assert.Contains("/mesh.grpc.test.v1.Tester/Chat", binder.Methods);
        Assert.Equal(6, binder.Methods.Count);
    }

    [Fact]
    public void Server_service_definition_hands_each_method_to_a_binder()
    {
        var binder = new RecordingBinder();
        Tester.BindService(new Support.TesterService(new Support.HandlerProbe())).BindService(binder);
        Assert.Equal(6, binder.Methods.Count);
    }

    [Fact]
    public async Task Client_enforces_its_deadline_when_the_server_never_answers()
    {
        // A listener that accepts connections and never speaks: only the client's own timer can end the call.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptSocketAsync();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}");
        var client = new Tester.TesterClient(channel);
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.EchoAsync(new EchoRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300)));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the call outlived its deadline");
        (await accepted).Dispose();
    }

    [Fact]
    public async Task Unreachable_server_is_UNAVAILABLE()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var error = await Assert.ThrowsAsync<RpcException>(async () => await new Tester.TesterClient(channel).EchoAsync(new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public void Channel_address_must_be_http_or_https() =>
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress("ftp://example.com"));

    sealed class RecordingBinder : ServiceBinderBase
    {
        public List<string> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method.FullName);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) => Methods.Add(method.FullName);
    }
}
