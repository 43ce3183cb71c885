using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Grpc.Core;

namespace Mesh.Grpc.Protocol;

/// <summary>
/// Length-Prefixed-Message: a compressed flag byte, a 4-byte big-endian length, then the message.
/// Every framing fault is an RpcException with the status the protocol gives it.
/// </summary>
public static class MessageFraming
{
    /// <summary>Serializes a message straight into a frame: the 5-byte prefix, then the payload.</summary>
    public static ReadOnlyMemory<byte> Frame<T>(Marshaller<T> marshaller, T message, int? maxSendMessageSize)
    {
        var context = new FrameSerializationContext();
        marshaller.ContextualSerializer(message, context);
        var frame = context.GetFrame();
        CheckSendSize(frame.Length - GrpcProtocol.MessageHeaderSize, maxSendMessageSize);
        return frame;
    }

    /// <summary>
    /// Serializes a message as a frame into <paramref name="target"/> (the response's pipe). A serializer
    /// that announces the payload length (protobuf's does) writes straight into the target; any other
    /// is buffered first. Nothing is written when the message is over the limit.
    /// </summary>
    public static void WriteFrame<T>(IBufferWriter<byte> target, Marshaller<T> marshaller, T message, int? maxSendMessageSize)
    {
        var context = new DirectSerializationContext(target, maxSendMessageSize);
        marshaller.ContextualSerializer(message, context);
        context.Finish();
    }

    static void CheckSendSize(long length, int? maxSendMessageSize)
    {
        if (length > maxSendMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message exceeds the maximum configured message size ({length} > {maxSendMessageSize} bytes)."));
        }
    }

    static void WritePrefix(IBufferWriter<byte> target, int length)
    {
        var header = target.GetSpan(GrpcProtocol.MessageHeaderSize);
        header[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)length);
        target.Advance(GrpcProtocol.MessageHeaderSize);
    }

    /// <summary>
    /// Reads and deserializes the next message, or returns null at a clean end of stream. The message is
    /// deserialized from the pipe's own buffer, before it is released: no copy of the payload is made.
    /// </summary>
    public static async ValueTask<T?> ReadMessageAsync<T>(PipeReader reader, Marshaller<T> marshaller, int? maxReceiveMessageSize, string? encoding,
        CancellationToken cancellationToken) where T : class
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (TryReadFrame(ref buffer, maxReceiveMessageSize, out var compressed, out var payload))
            {
                try
                {
                    return Deserialize(marshaller, payload, compressed, encoding, maxReceiveMessageSize);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start);
                }
            }
            if (result.IsCompleted)
            {
                var remaining = buffer.Length;
                reader.AdvanceTo(buffer.End);
                if (remaining == 0) return null;
                throw IncompleteFrame(remaining);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    internal static RpcException IncompleteFrame(long remaining) =>
        new(new Status(StatusCode.Internal, $"Incomplete message: the stream ended {remaining} bytes into a frame."));

    /// <summary>The compressed flag and the length of a message prefix, both checked.</summary>
    internal static bool ReadPrefix(ReadOnlySpan<byte> header, int? maxReceiveMessageSize, out uint length)
    {
        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {header[0]} in message prefix.")),
        };
        length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)(maxReceiveMessageSize ?? int.MaxValue))
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({length} > {maxReceiveMessageSize} bytes)."));
        }
        return compressed;
    }

    /// <summary>Finds a whole frame at the start of <paramref name="buffer"/>; the buffer is moved past it, <paramref name="payload"/> is a slice of it.</summary>
    static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int? maxReceiveMessageSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < GrpcProtocol.MessageHeaderSize) return false;
        Span<byte> header = stackalloc byte[GrpcProtocol.MessageHeaderSize];
        buffer.Slice(0, GrpcProtocol.MessageHeaderSize).CopyTo(header);
        compressed = ReadPrefix(header, maxReceiveMessageSize, out var length);
        if (buffer.Length < GrpcProtocol.MessageHeaderSize + length) return false;
        payload = buffer.Slice(GrpcProtocol.MessageHeaderSize, length);
        buffer = buffer.Slice(GrpcProtocol.MessageHeaderSize + length);
        return true;
    }

    static byte[] Decompress(byte[] payload, string? encoding, int? maxReceiveMessageSize)
    {
        using var input = new MemoryStream(payload);
        using Stream decompressor = encoding switch
        {
            GrpcProtocol.GzipEncoding => new GZipStream(input, CompressionMode.Decompress),
            GrpcProtocol.DeflateEncoding => new ZLibStream(input, CompressionMode.Decompress),
            null or GrpcProtocol.IdentityEncoding => throw new RpcException(new Status(StatusCode.Internal, "Received a compressed message but the call has no grpc-encoding.")),
            _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'.")),
        };
        var limit = maxReceiveMessageSize ?? int.MaxValue;
        using var output = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = decompressor.Read(chunk)) > 0)
            {
                if (output.Length + read > limit)
                {
                    throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message exceeds the maximum configured message size ({limit} bytes) once decompressed."));
                }
                output.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Received a message that is not valid {encoding} data.", e));
        }
        return output.ToArray();
    }

    /// <summary>A received payload as a message, decompressed first when its flag says so.</summary>
    internal static T Deserialize<T>(Marshaller<T> marshaller, ReadOnlySequence<byte> payload, bool compressed, string? encoding, int? maxReceiveMessageSize) =>
        Deserialize(marshaller, compressed ? new ReadOnlySequence<byte>(Decompress(payload.ToArray(), encoding, maxReceiveMessageSize)) : payload);

    static T Deserialize<T>(Marshaller<T> marshaller, ReadOnlySequence<byte> payload)
    {
        try
        {
            return marshaller.ContextualDeserializer(new PayloadDeserializationContext(payload));
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Failed to deserialize the message: {e.Message}", e));
        }
    }

    /// <summary>
    /// Serializes into a buffer that starts with room for the 5-byte prefix, filled in at the end. The
    /// buffer is made once the serializer announces the payload length, so it is allocated at its final size.
    /// </summary>
    sealed class FrameSerializationContext : SerializationContext
    {
        ArrayBufferWriter<byte>? writer;
        bool complete;

        ArrayBufferWriter<byte> StartFrame(int payloadLength)
        {
            if (writer is not null) return writer;
            writer = payloadLength > 0 ? new ArrayBufferWriter<byte>(GrpcProtocol.MessageHeaderSize + payloadLength) : new ArrayBufferWriter<byte>();
            writer.GetSpan(GrpcProtocol.MessageHeaderSize);
            writer.Advance(GrpcProtocol.MessageHeaderSize);
            return writer;
        }

        public override void Complete(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            StartFrame(payload.Length).Write(payload);
            Complete();
        }

        public override IBufferWriter<byte> GetBufferWriter() => StartFrame(0);

        public override void SetPayloadLength(int payloadLength)
        {
            if (writer is null) StartFrame(payloadLength);
            else writer.GetSpan(payloadLength);
        }

        public override void Complete()
        {
            if (complete) throw new InvalidOperationException("The message was already completed.");
            complete = true;
        }

        public ReadOnlyMemory<byte> GetFrame()
        {
            if (!complete) throw new InvalidOperationException("The serializer did not complete the message.");
            var frame = StartFrame(0).WrittenMemory;
            var header = System.Runtime.InteropServices.MemoryMarshal.AsMemory(frame).Span;
            header[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)(frame.Length - GrpcProtocol.MessageHeaderSize));
            return frame;
        }
    }

    /// <summary>
    /// Serialization into a frame in a given writer: the prefix goes first once the length is known
    /// (SetPayloadLength or Complete(byte[])); without it the payload is buffered, then written.
    /// </summary>
    sealed class DirectSerializationContext(IBufferWriter<byte> target, int? maxSendMessageSize) : SerializationContext
    {
        int? announced;
        ArrayBufferWriter<byte>? buffered;
        bool complete;

        public override void SetPayloadLength(int payloadLength)
        {
            if (announced is not null || buffered is not null) return;
            CheckSendSize(payloadLength, maxSendMessageSize);
            WritePrefix(target, payloadLength);
            announced = payloadLength;
        }

        public override IBufferWriter<byte> GetBufferWriter() => announced is not null ? target : buffered ??= new ArrayBufferWriter<byte>();

        public override void Complete(byte[] payload)
        {
            ArgumentNullException.ThrowIfNull(payload);
            if (announced is null)
            {
                CheckSendSize(payload.Length, maxSendMessageSize);
                WritePrefix(target, payload.Length);
                announced = payload.Length;
            }
            target.Write(payload);
            Complete();
        }

        public override void Complete()
        {
            if (complete) throw new InvalidOperationException("The message was already completed.");
            complete = true;
        }

        public void Finish()
        {
            if (!complete) throw new InvalidOperationException("The serializer did not complete the message.");
            if (buffered is null) return;
            CheckSendSize(buffered.WrittenCount, maxSendMessageSize);
            WritePrefix(target, buffered.WrittenCount);
            target.Write(buffered.WrittenSpan);
        }
    }

    /// <summary>A payload valid while the deserializer runs: a slice of the pipe's buffer or of a pooled array.</summary>
    sealed class PayloadDeserializationContext(ReadOnlySequence<byte> payload) : DeserializationContext
    {
        public override int PayloadLength => (int)payload.Length;

        public override byte[] PayloadAsNewBuffer() => payload.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => payload;
    }
}
