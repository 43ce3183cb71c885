using System.Buffers;
using Grpc.Core;

namespace Mesh.Grpc.Protocol;

/// <summary>
/// Reads Length-Prefixed-Messages from a stream (the client's response body) through one pooled
/// buffer: a read takes whatever has arrived (usually a whole small message, sometimes several), and
/// the next message starts from what is left. A unary answer then costs two reads: its data and the end.
/// </summary>
/// <remarks>
/// Not for concurrent use. The owner calls <see cref="Release"/> once no read is running; a reader
/// dropped without it leaves its buffer to the garbage collector, never to the pool while a read may write to it.
/// </remarks>
public sealed class StreamMessageReader(Stream stream, int? maxReceiveMessageSize)
{
    const int InitialBufferSize = 4096;

    byte[]? buffer;
    int start;
    int count;

    /// <summary>
    /// The next message, or null at a clean end of stream. The message is deserialized from the buffer
    /// before the next read can reuse it (a DeserializationContext's payload is valid only during that call).
    /// </summary>
    public async ValueTask<T?> ReadMessageAsync<T>(Marshaller<T> marshaller, string? encoding, CancellationToken cancellationToken) where T : class
    {
        if (count < GrpcProtocol.MessageHeaderSize && !await FillAsync(GrpcProtocol.MessageHeaderSize, cancellationToken).ConfigureAwait(false))
        {
            if (count == 0) return null;
            throw MessageFraming.IncompleteFrame(count);
        }
        var compressed = MessageFraming.ReadPrefix(buffer.AsSpan(start, GrpcProtocol.MessageHeaderSize), maxReceiveMessageSize, out var length);
        if (length > Array.MaxLength - GrpcProtocol.MessageHeaderSize)
        {
            // Only without a receive limit: no buffer can hold such a message.
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message is larger than a buffer can hold ({length} bytes)."));
        }
        var frameLength = GrpcProtocol.MessageHeaderSize + (int)length;
        if (count < frameLength && !await FillAsync(frameLength, cancellationToken).ConfigureAwait(false))
        {
            throw MessageFraming.IncompleteFrame(count);
        }
        var payload = new ReadOnlySequence<byte>(buffer!, start + GrpcProtocol.MessageHeaderSize, (int)length);
        start += frameLength;
        count -= frameLength;
        return MessageFraming.Deserialize(marshaller, payload, compressed, encoding, maxReceiveMessageSize);
    }

    /// <summary>Reads until <paramref name="needed"/> bytes are buffered; false when the stream ends first.</summary>
    async ValueTask<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        MakeRoom(needed);
        while (count < needed)
        {
            var free = buffer.AsMemory(start + count);
            var read = await stream.ReadAsync(free, cancellationToken).ConfigureAwait(false);
            if (read == 0) return false;
            count += read;
        }
        return true;
    }

    /// <summary>Makes room for <paramref name="needed"/> bytes from the start of the buffered data.</summary>
    void MakeRoom(int needed)
    {
        if (buffer is null)
        {
            buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBufferSize, needed));
            start = 0;
            return;
        }
        if (count == 0) start = 0;
        if (start + needed <= buffer.Length) return;
        if (needed <= buffer.Length)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, count);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            Buffer.BlockCopy(buffer, start, larger, 0, count);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        start = 0;
    }

    /// <summary>Gives the buffer back to the pool; only when no read is running.</summary>
    public void Release()
    {
        if (buffer is null) return;
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = null;
        start = count = 0;
    }
}
