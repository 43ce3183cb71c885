using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Mesh.Grpc.Tests.Support;
using Mesh.Grpc.Tests.V1;

namespace Mesh.Grpc.Tests;

/// <summary>The server's bytes on the wire, seen through a plain HTTP/2 client (PROTOCOL-HTTP2.md).</summary>
public sealed class WireTests(GrpcServerFixture server) : IClassFixture<GrpcServerFixture>
{
    const string EchoPath = "/mesh.grpc.test.v1.Tester/Echo";

    static byte[] Frame(IMessage message, bool compressedFlag = false) => Frame(message.ToByteArray(), compressedFlag);

    static byte[] Frame(byte[] payload, bool compressedFlag = false)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    async Task<(HttpResponseMessage Response, byte[] Body)> PostAsync(string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var client = server.CreateRawClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response, bytes);
    }

    static string? Header(HttpHeaders headers, string name) => headers.TryGetValues(name, out var values) ? values.Single() : null;

    [Fact]
    public async Task Successful_unary_response_is_headers_one_frame_and_grpc_status_0_in_trailers()
    {
        var (response, body) = await PostAsync(EchoPath, Frame(new EchoRequest { Text = "wire" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(2, 0), response.Version);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(Header(response.Headers, "grpc-status"));
        Assert.Equal(0, body[0]);
        Assert.Equal((uint)(body.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1)));
        Assert.Equal("wire", EchoReply.Parser.ParseFrom(body.AsSpan(5)).Text);
        Assert.Equal("0", Header(response.TrailingHeaders, "grpc-status"));
    }

    [Fact]
    public async Task Error_before_any_message_is_trailers_only_with_a_percent_encoded_message()
    {
        var request = new FailRequest { Code = 5, Message = "100% ü\n" };
        var (response, body) = await PostAsync("/mesh.grpc.test.v1.Tester/Fail", Frame(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(body);
        Assert.Equal("5", Header(response.Headers, "grpc-status"));
        // PROTOCOL-HTTP2.md Status-Message: '%' and bytes outside 0x20-0x7E are %XX of the UTF-8 encoding.
        Assert.Equal("100%25 %C3%BC%0A", Header(response.Headers, "grpc-message"));
        Assert.Empty(response.TrailingHeaders);
    }

    [Fact]
    public async Task Non_gRPC_content_type_is_answered_415()
    {
        var (response, _) = await PostAsync(EchoPath, Frame(new EchoRequest()), "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Grpc_proto_content_type_is_accepted()
    {
        var (response, _) = await PostAsync(EchoPath, Frame(new EchoRequest { Text = "p" }), "application/grpc+proto");
        Assert.Equal("0", Header(response.TrailingHeaders, "grpc-status"));
    }

    [Fact]
    public async Task Unknown_method_of_a_mapped_service_is_UNIMPLEMENTED()
    {
        var (response, _) = await PostAsync("/mesh.grpc.test.v1.Tester/Missing", Frame(new EchoRequest()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("12", Header(response.Headers, "grpc-status"));
        Assert.Equal("Method is unimplemented.", Header(response.Headers, "grpc-message"));
    }

    [Fact]
    public async Task Unknown_service_is_UNIMPLEMENTED()
    {
        var (response, _) = await PostAsync("/mesh.grpc.test.v1.Nobody/Echo", Frame(new EchoRequest()));
        Assert.Equal("12", Header(response.Headers, "grpc-status"));
        Assert.Equal("Service is unimplemented.", Header(response.Headers, "grpc-message"));
    }

    [Fact]
    public async Task Truncated_frame_is_INTERNAL()
    {
        var frame = Frame(new EchoRequest { Text = "this message is cut short" });
        var (response, _) = await PostAsync(EchoPath, frame[..^4]);
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Truncated_prefix_is_INTERNAL()
    {
        var (response, _) = await PostAsync(EchoPath, [0, 0, 0]);
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Second_message_on_a_unary_call_is_INTERNAL()
    {
        var frame = Frame(new EchoRequest { Text = "twice" });
        var (response, _) = await PostAsync(EchoPath, [.. frame, .. frame]);
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Empty_request_stream_on_a_unary_call_is_INTERNAL()
    {
        var (response, _) = await PostAsync(EchoPath, []);
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Invalid_protobuf_payload_is_INTERNAL()
    {
        var (response, _) = await PostAsync(EchoPath, Frame([0xFF, 0xFF, 0xFF]));
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Declared_length_over_the_receive_limit_is_RESOURCE_EXHAUSTED_without_reading_the_body()
    {
        var prefix = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(prefix.AsSpan(1), uint.MaxValue);
        var (response, _) = await PostAsync(EchoPath, prefix);
        Assert.Equal("8", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_without_help_from_the_client()
    {
        var (response, _) = await PostAsync("/mesh.grpc.test.v1.Tester/Slow", Frame(new SlowRequest { DelayMs = 30_000 }), headers: ("grpc-timeout", "200m"));
        Assert.Equal("4", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Gzip_compressed_message_with_grpc_encoding_gzip_is_read()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(new EchoRequest { Text = "zipped" }.ToByteArray());
        var (response, body) = await PostAsync(EchoPath, Frame(compressed.ToArray(), compressedFlag: true), headers: ("grpc-encoding", "gzip"));
        Assert.Equal("0", Header(response.TrailingHeaders, "grpc-status"));
        Assert.Equal("zipped", EchoReply.Parser.ParseFrom(body.AsSpan(5)).Text);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_INTERNAL()
    {
        var (response, _) = await PostAsync(EchoPath, Frame(new EchoRequest { Text = "x" }, compressedFlag: true));
        Assert.Equal("13", Header(response.Headers, "grpc-status"));
    }

    [Fact]
    public async Task Unsupported_grpc_encoding_is_UNIMPLEMENTED_and_lists_the_accepted_encodings()
    {
        var (response, _) = await PostAsync(EchoPath, Frame(new EchoRequest()), headers: ("grpc-encoding", "snappy"));
        Assert.Equal("12", Header(response.Headers, "grpc-status"));
        Assert.Equal("identity,gzip,deflate", Header(response.Headers, "grpc-accept-encoding"));
    }

    [Theory]
    [InlineData("AAEC/f7/")]
    [InlineData("AAEC/f7/AA==")]
    [InlineData("AAEC/f7/AA")]
    public async Task Binary_metadata_is_read_padded_or_unpadded_and_sent_unpadded(string sent)
    {
        var (response, _) = await PostAsync(EchoPath, Frame(new EchoRequest()), headers: ("echo-data-bin", sent));
        Assert.Equal(sent.TrimEnd('='), Header(response.Headers, "echo-data-bin"));
    }
}
