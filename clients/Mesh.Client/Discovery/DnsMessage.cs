using System.Buffers.Binary;
using System.Text;

namespace Mesh.Client.Discovery;

/// <summary>One SRV record (RFC 2782): where the service runs and in which order to try it.</summary>
public sealed record SrvRecord(ushort Priority, ushort Weight, ushort Port, string Target, uint TimeToLive);

/// <summary>What a DNS response says about the question asked.</summary>
public sealed record DnsResponse(ushort Id, bool Truncated, int ResponseCode, string QuestionName, ushort QuestionType, IReadOnlyList<SrvRecord> Services);

/// <summary>
/// The DNS message format of RFC 1035 §4, only as far as an SRV lookup needs: a standard query
/// with recursion desired, and a response whose SRV answers (RFC 2782 RDATA) are decoded with
/// name compression (§4.1.4). Malformed input gives <see cref="MeshDiscoveryException"/>.
/// </summary>
public static class DnsMessage
{
    public const ushort TypeSrv = 33;
    public const ushort ClassInternet = 1;
    public const int NameError = 3;
    const int HeaderSize = 12, MaxNameLength = 255;

    public static byte[] Query(ushort id, string name, ushort type)
    {
        var output = new List<byte>(HeaderSize + name.Length + 6);
        Span<byte> header = stackalloc byte[HeaderSize];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        header[2] = 0x01; // RD: recursion desired; QR = 0, OPCODE = 0 (standard query)
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1); // QDCOUNT
        output.AddRange(header.ToArray());
        WriteName(output, name);
        output.Add((byte)(type >> 8));
        output.Add((byte)type);
        output.Add(ClassInternet >> 8);
        output.Add(ClassInternet & 0xFF);
        return output.ToArray();
    }

    static void WriteName(List<byte> output, string name)
    {
        var trimmed = name.TrimEnd('.');
        if (trimmed.Length == 0 || trimmed.Length > MaxNameLength - 2) throw new MeshDiscoveryException($"'{name}' is not a DNS name");
        foreach (var label in trimmed.Split('.'))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            if (bytes.Length is 0 or > 63 || label.Any(c => c > 0x7E || c <= ' '))
                throw new MeshDiscoveryException($"'{name}' has an invalid DNS label '{label}'");
            output.Add((byte)bytes.Length);
            output.AddRange(bytes);
        }
        output.Add(0);
    }

    public static DnsResponse Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderSize) throw new MeshDiscoveryException($"DNS response of {message.Length} bytes is shorter than its header");
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        if ((flags & 0x8000) == 0) throw new MeshDiscoveryException("DNS message is a query, not a response");
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        if (questions != 1) throw new MeshDiscoveryException($"DNS response carries {questions} questions, 1 was asked");
        var position = HeaderSize;
        var questionName = ReadName(message, ref position);
        var questionType = ReadUInt16(message, ref position);
        ReadUInt16(message, ref position); // class
        var services = new List<SrvRecord>();
        for (var i = 0; i < answers; i++)
        {
            ReadName(message, ref position);
            var type = ReadUInt16(message, ref position);
            var @class = ReadUInt16(message, ref position);
            var ttl = (uint)ReadUInt16(message, ref position) << 16 | ReadUInt16(message, ref position);
            var length = ReadUInt16(message, ref position);
            var end = position + length;
            if (end > message.Length) throw new MeshDiscoveryException($"DNS answer {i} runs {end - message.Length} bytes past the message");
            // CNAME and other answers may precede the SRV records; only SRV/IN is read.
            if (type == TypeSrv && @class == ClassInternet)
            {
                if (length < 7) throw new MeshDiscoveryException($"SRV answer {i} has {length} bytes of data, at least 7 are needed");
                var priority = ReadUInt16(message, ref position);
                var weight = ReadUInt16(message, ref position);
                var port = ReadUInt16(message, ref position);
                var target = ReadName(message, ref position);
                if (position != end) throw new MeshDiscoveryException($"SRV answer {i} data length {length} does not match its content");
                services.Add(new SrvRecord(priority, weight, port, target, ttl));
            }
            position = end;
        }
        return new DnsResponse(id, (flags & 0x0200) != 0, flags & 0x000F, questionName, questionType, services);
    }

    static ushort ReadUInt16(ReadOnlySpan<byte> message, ref int position)
    {
        if (position + 2 > message.Length) throw new MeshDiscoveryException("DNS message ends inside a field");
        var value = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
        position += 2;
        return value;
    }

    /// <summary>Reads a name, following compression pointers (each must point backwards, so no loops).</summary>
    static string ReadName(ReadOnlySpan<byte> message, ref int position)
    {
        var name = new StringBuilder();
        var cursor = position;
        var jumped = false;
        var limit = cursor;
        while (true)
        {
            if (cursor >= message.Length) throw new MeshDiscoveryException("DNS message ends inside a name");
            var length = message[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= message.Length) throw new MeshDiscoveryException("DNS message ends inside a name pointer");
                var target = (length & 0x3F) << 8 | message[cursor + 1];
                if (target >= limit) throw new MeshDiscoveryException($"DNS name pointer to offset {target} does not point backwards");
                if (!jumped) position = cursor + 2;
                jumped = true;
                limit = target;
                cursor = target;
                continue;
            }
            if ((length & 0xC0) != 0) throw new MeshDiscoveryException($"DNS label type 0x{length & 0xC0:X2} is not supported");
            cursor++;
            if (length == 0) break;
            if (cursor + length > message.Length) throw new MeshDiscoveryException("DNS label runs past the message");
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.ASCII.GetString(message.Slice(cursor, length)));
            if (name.Length > MaxNameLength) throw new MeshDiscoveryException("DNS name is longer than 255 octets");
            cursor += length;
        }
        if (!jumped) position = cursor;
        return name.ToString();
    }
}
