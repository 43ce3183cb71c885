namespace Mesh.Core.Dare;

/// <summary>
/// Sequence framing. A frame is a forward length indicator (tag 0xF4-0xF7 then the length,
/// big-endian, in 1/2/4/8 octets), the frame records, and the same indicator written backwards
/// (length octets least significant first, then the tag) so the file can be walked from the end.
/// Each record (header, payload, optional trailer) is 0xF0-0xF3, length, bytes.
/// </summary>
public static class DareFrame
{
    const byte Record = 0xF0;
    const byte Bidirectional = 0xF4;

    public static byte[] Encode(byte[] header, byte[] payload, byte[]? trailer)
    {
        var inner = RecordLength(header.Length) + RecordLength(payload.Length) + (trailer is null ? 0 : RecordLength(trailer.Length));
        using var stream = new MemoryStream();
        WriteTag(stream, Bidirectional, inner);
        WriteRecord(stream, header);
        WriteRecord(stream, payload);
        if (trailer is not null) WriteRecord(stream, trailer);
        var width = Width(inner);
        for (var i = 0; i < width; i++) stream.WriteByte((byte)(inner >> (8 * i)));
        stream.WriteByte((byte)(Bidirectional + WidthCode(width)));
        return stream.ToArray();
    }

    /// <summary>Reads the frame starting at <paramref name="position"/>; returns its records and total length.</summary>
    public static (byte[] Header, byte[] Payload, byte[]? Trailer, long Length) Decode(ReadOnlySpan<byte> data, long position)
    {
        var offset = checked((int)position);
        var inner = ReadTag(data, ref offset, Bidirectional, "frame");
        var start = offset;
        if (inner > data.Length - start) throw new MeshFormatException($"frame at {position} runs past the end of the sequence");
        var end = start + (int)inner;
        var header = ReadRecord(data, ref offset, end, "header");
        var payload = ReadRecord(data, ref offset, end, "payload");
        var trailer = offset < end ? ReadRecord(data, ref offset, end, "trailer") : null;
        if (offset != end) throw new MeshFormatException($"frame at {position} has bytes after its trailer");
        // The reverse indicator must repeat the length.
        var width = Width(inner);
        if (end + width + 1 > data.Length) throw new MeshFormatException($"frame at {position} lacks its reverse length indicator");
        long reverse = 0;
        for (var i = 0; i < width; i++) reverse |= (long)data[end + i] << (8 * i);
        if (reverse != inner || data[end + width] != Bidirectional + WidthCode(width))
            throw new MeshFormatException($"frame at {position}: reverse length indicator does not match");
        return (header, payload, trailer, end + width + 1 - position);
    }

    /// <summary>Start of the frame that ends at <paramref name="end"/>, read from its reverse indicator.</summary>
    public static long PreviousStart(ReadOnlySpan<byte> data, long end)
    {
        if (end < 2 || end > data.Length) throw new MeshFormatException("no frame ends at this position");
        var tag = data[(int)end - 1];
        if (tag is < Bidirectional or > Bidirectional + 3) throw new MeshFormatException("reverse length indicator has a bad tag");
        var width = 1 << (tag - Bidirectional);
        var lengthStart = (int)end - 1 - width;
        if (lengthStart < 0) throw new MeshFormatException("reverse length indicator is truncated");
        long inner = 0;
        for (var i = 0; i < width; i++) inner |= (long)data[lengthStart + i] << (8 * i);
        var start = lengthStart - inner - 1 - width;
        if (start < 0) throw new MeshFormatException("reverse length points before the start of the sequence");
        return start;
    }

    static long RecordLength(long length) => 1 + Width(length) + length;

    static int Width(long length) => length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x100000000 ? 4 : 8;

    static int WidthCode(int width) => width switch { 1 => 0, 2 => 1, 4 => 2, _ => 3 };

    static void WriteTag(Stream stream, byte code, long length)
    {
        var width = Width(length);
        stream.WriteByte((byte)(code + WidthCode(width)));
        for (var i = width - 1; i >= 0; i--) stream.WriteByte((byte)(length >> (8 * i)));
    }

    static void WriteRecord(Stream stream, byte[] data)
    {
        WriteTag(stream, Record, data.Length);
        stream.Write(data);
    }

    static long ReadTag(ReadOnlySpan<byte> data, ref int offset, byte code, string what)
    {
        if (offset >= data.Length) throw new MeshFormatException($"sequence ends where a {what} was expected");
        var tag = data[offset++];
        if (tag < code || tag > code + 3) throw new MeshFormatException($"{what} tag 0x{tag:X2} is not 0x{code:X2}-0x{code + 3:X2}");
        var width = 1 << (tag - code);
        if (offset + width > data.Length) throw new MeshFormatException($"{what} length is truncated");
        long length = 0;
        for (var i = 0; i < width; i++) length = (length << 8) | data[offset++];
        if (length < 0) throw new MeshFormatException($"{what} length is out of range");
        return length;
    }

    static byte[] ReadRecord(ReadOnlySpan<byte> data, ref int offset, int end, string what)
    {
        var length = ReadTag(data, ref offset, Record, what);
        if (length > end - offset) throw new MeshFormatException($"{what} record runs past the end of its frame");
        var bytes = data.Slice(offset, (int)length).ToArray();
        offset += (int)length;
        return bytes;
    }
}
