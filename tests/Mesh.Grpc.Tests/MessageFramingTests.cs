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
        // The same length, so the second read rents the array the first one returned.
        var reversed = Payload.Reverse().ToArray();
        MessageFraming.WriteFrame(writer, marshaller, Payload, null);
        MessageFraming.WriteFrame(writer, marshaller, reversed, null);
        using var stream = new MemoryStream(writer.WrittenSpan.ToArray());
        var prefix = new byte[5];

        var first = await MessageFraming.ReadMessageAsync(stream, prefix, marshaller, null, null, CancellationToken.None);
        var second = await MessageFraming.ReadMessageAsync(stream, prefix, marshaller, null, null, CancellationToken.None);
        var end = await MessageFraming.ReadMessageAsync(stream, prefix, marshaller, null, null, CancellationToken.None);

        // The first message's bytes are unchanged after its read buffer went back to the pool and was reused.
        Assert.Equal(Payload, first);
        Assert.Equal(reversed, second);
        Assert.Null(end);
    }

    [Fact]
    public async Task A_stream_ending_inside_a_frame_is_an_incomplete_message()
    {
        using var stream = new MemoryStream([0, 0, 0, 0, 10, 1, 2, 3]);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await MessageFraming.ReadMessageAsync(stream, new byte[5], MarshallerFor("array"), null, null, CancellationToken.None));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.Contains("Incomplete message", error.Status.Detail);
    }
}
