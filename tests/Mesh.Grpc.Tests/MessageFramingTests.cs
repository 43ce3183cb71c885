using System.Buffers;
using System.IO.Pipelines;
using Grpc.Core;
using Mesh.Grpc.Protocol;

namespace Mesh.Grpc.Tests;

/// <summary>
/// Frames written straight into a writer, for each way a serializer may hand over its bytes, and read
/// back from a pipe and from a stream without a copy of the payload that outlives the deserializer.
/// </summary>
public sealed class MessageFramingTests
{
    static readonly byte[] Payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

    // The three ways a SerializationContext is used: a whole array; the length announced, then a
    // buffer writer (protobuf's generated code); a buffer writer with no length.
    public static TheoryData<string> Serializers => new() { "array", "announced", "unannounced" };

    static Marshaller<byte[]> MarshallerFor(string serializer) => new((message, context) =>
    {
        switch (serializer)
        {
            case "array":
                context.Complete(message);
                return;
            case "announced":
                context.SetPayloadLength(message.Length);
                break;
        }
        var writer = context.GetBufferWriter();
        // In two pieces, as a serializer filling a span at a time does.
        writer.Write(message.AsSpan(0, message.Length / 2));
        writer.Write(message.AsSpan(message.Length / 2));
        context.Complete();
    }, context => context.PayloadAsNewBuffer());

    [Theory]
    [MemberData(nameof(Serializers))]
    public void WriteFrame_writes_the_prefix_and_the_payload_whatever_the_serializer(string serializer)
    {
        var target = new ArrayBufferWriter<byte>();

        MessageFraming.WriteFrame(target, MarshallerFor(serializer), Payload, maxSendMessageSize: null);

        var frame = target.WrittenSpan;
        Assert.Equal(5 + Payload.Length, frame.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 44 }, frame[..5].ToArray());
        Assert.Equal(Payload, frame[5..].ToArray());
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void WriteFrame_over_the_send_limit_writes_nothing(string serializer)
    {
        var target = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<RpcException>(() => MessageFraming.WriteFrame(target, MarshallerFor(serializer), Payload, maxSendMessageSize: 299));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(0, target.WrittenCount);
    }

    [Fact]
    public async Task Frames_read_from_a_pipe_are_deserialized_in_order_then_the_end_is_null()
    {
        var pipe = new Pipe();
        var marshaller = MarshallerFor("announced");
        MessageFraming.WriteFrame(pipe.Writer, marshaller, Payload, null);
        MessageFraming.WriteFrame(pipe.Writer, marshaller, [7, 8, 9], null);
        await pipe.Writer.CompleteAsync();

        var first = await MessageFraming.ReadMessageAsync(pipe.Reader, marshaller, null, null, CancellationToken.None);
        var second = await MessageFraming.ReadMessageAsync(pipe.Reader, marshaller, null, null, CancellationToken.None);
        var end = await MessageFraming.ReadMessageAsync(pipe.Reader, marshaller, null, null, CancellationToken.None);

        Assert.Equal(Payload, first);
        Assert.Equal(new byte[] { 7, 8, 9 }, second);
        Assert.Null(end);
    }

    [Fact]
    public async Task Frames_read_from_a_stream_are_copies_that_outlive_the_pooled_read_buffer()
    {
        var writer = new ArrayBufferWriter<byte>();
        var marshaller = MarshallerFor("array");
        var reversed = Payload.Reverse().ToArray();
        MessageFraming.WriteFrame(writer, marshaller, Payload, null);
        MessageFraming.WriteFrame(writer, marshaller, reversed, null);
        using var stream = new MemoryStream(writer.WrittenSpan.ToArray());
        var reader = new StreamMessageReader(stream, null);

        // Both frames arrive in the first read; the second is deserialized from what that read left.
        var first = await reader.ReadMessageAsync(marshaller, null, CancellationToken.None);
        var second = await reader.ReadMessageAsync(marshaller, null, CancellationToken.None);
        var end = await reader.ReadMessageAsync(marshaller, null, CancellationToken.None);
        reader.Release();

        Assert.Equal(Payload, first);
        Assert.Equal(reversed, second);
        Assert.Null(end);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Frames_split_across_reads_and_longer_than_the_first_buffer_are_read_whole(int bytesPerRead)
    {
        var large = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        var writer = new ArrayBufferWriter<byte>();
        var marshaller = MarshallerFor("array");
        MessageFraming.WriteFrame(writer, marshaller, Payload, null);
        MessageFraming.WriteFrame(writer, marshaller, large, null);
        MessageFraming.WriteFrame(writer, marshaller, [], null);
        MessageFraming.WriteFrame(writer, marshaller, [42], null);
        var reader = new StreamMessageReader(new TrickleStream(writer.WrittenSpan.ToArray(), bytesPerRead), null);

        Assert.Equal(Payload, await reader.ReadMessageAsync(marshaller, null, CancellationToken.None));
        Assert.Equal(large, await reader.ReadMessageAsync(marshaller, null, CancellationToken.None));
        Assert.Equal(Array.Empty<byte>(), await reader.ReadMessageAsync(marshaller, null, CancellationToken.None));
        Assert.Equal(new byte[] { 42 }, await reader.ReadMessageAsync(marshaller, null, CancellationToken.None));
        Assert.Null(await reader.ReadMessageAsync(marshaller, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_stream_message_over_the_receive_limit_is_refused_from_its_prefix()
    {
        var writer = new ArrayBufferWriter<byte>();
        MessageFraming.WriteFrame(writer, MarshallerFor("array"), Payload, null);
        var reader = new StreamMessageReader(new MemoryStream(writer.WrittenSpan.ToArray()), maxReceiveMessageSize: 299);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(MarshallerFor("array"), null, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_stream_message_no_buffer_can_hold_is_refused_from_its_prefix_even_without_a_limit()
    {
        var reader = new StreamMessageReader(new MemoryStream([0, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3]), maxReceiveMessageSize: null);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(MarshallerFor("array"), null, CancellationToken.None));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 10, 1, 2, 3 }, 8)]
    [InlineData(new byte[] { 0, 0, 0 }, 3)]
    public async Task A_stream_ending_inside_a_frame_is_an_incomplete_message(byte[] received, int bytesIntoFrame)
    {
        var reader = new StreamMessageReader(new MemoryStream(received), null);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await reader.ReadMessageAsync(MarshallerFor("array"), null, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Equal($"Incomplete message: the stream ended {bytesIntoFrame} bytes into a frame.", error.Status.Detail);
    }

    /// <summary>Gives at most a few bytes per read, as a slow network would.</summary>
    sealed class TrickleStream(byte[] data, int bytesPerRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, bytesPerRead)], cancellationToken);
    }
}
