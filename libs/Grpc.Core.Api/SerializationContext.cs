using System.Buffers;

namespace Grpc.Core;

/// <summary>Where a serializer puts one message: either a whole array, or through a buffer writer then Complete().</summary>
public abstract class SerializationContext
{
    public abstract void Complete(byte[] payload);

    public abstract IBufferWriter<byte> GetBufferWriter();

    /// <summary>Announces the payload length before writing through the buffer writer; optional.</summary>
    public abstract void SetPayloadLength(int payloadLength);

    public abstract void Complete();
}

/// <summary>The payload of one received message.</summary>
public abstract class DeserializationContext
{
    public abstract int PayloadLength { get; }

    public abstract byte[] PayloadAsNewBuffer();

    public abstract ReadOnlySequence<byte> PayloadAsReadOnlySequence();
}

/// <summary>Collects one message for the array form of a contextual marshaller.</summary>
internal sealed class ArraySerializationContext : SerializationContext
{
    ArrayBufferWriter<byte>? writer;
    byte[]? completed;
    bool isComplete;

    public override void Complete(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        CheckNotComplete();
        completed = payload;
        isComplete = true;
    }

    public override IBufferWriter<byte> GetBufferWriter()
    {
        CheckNotComplete();
        return writer ??= new ArrayBufferWriter<byte>();
    }

    public override void SetPayloadLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        CheckNotComplete();
        writer ??= new ArrayBufferWriter<byte>(Math.Max(payloadLength, 1));
    }

    public override void Complete()
    {
        CheckNotComplete();
        isComplete = true;
    }

    /// <summary>The serialized payload; the serializer must have called one of the Complete methods.</summary>
    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            if (!isComplete) throw new InvalidOperationException("The serializer did not complete the message.");
            return completed ?? writer?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;
        }
    }

    internal byte[] Result() => Payload.ToArray();

    void CheckNotComplete()
    {
        if (isComplete) throw new InvalidOperationException("The message was already completed.");
    }
}

/// <summary>A received payload held in one contiguous sequence.</summary>
internal sealed class ArrayDeserializationContext(ReadOnlySequence<byte> payload) : DeserializationContext
{
    public ArrayDeserializationContext(byte[] payload) : this(new ReadOnlySequence<byte>(payload)) { }

    public override int PayloadLength => checked((int)payload.Length);

    public override byte[] PayloadAsNewBuffer() => payload.ToArray();

    public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => payload;
}
