using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Mesh.Core.Json;

/// <summary>
/// Writes JSON-B (and JSON-C when <see cref="CompressTags"/> is set): brackets as in JSON, tags and
/// values as length-prefixed binary items. Only the separators the grammar requires are written:
/// a comma after a closed object or array that is followed by another item.
/// </summary>
public sealed class JsonBWriter
{
    const int MaxDepth = 64;

    readonly IBufferWriter<byte> _output;
    readonly Dictionary<string, uint>? _codes;
    int _depth;
    bool _needsComma;
    bool _inBinaryChunks;

    public JsonBWriter(IBufferWriter<byte> output, bool compressTags = false)
    {
        _output = output;
        if (compressTags) _codes = new Dictionary<string, uint>(StringComparer.Ordinal);
    }

    /// <summary>True when tags are written once as JSON-C code definitions and then by code.</summary>
    public bool CompressTags => _codes is not null;

    public int Depth => _depth;

    public void WriteStartObject() => Open((byte)'{');

    public void WriteEndObject() => Close((byte)'}');

    public void WriteStartArray() => Open((byte)'[');

    public void WriteEndArray() => Close((byte)']');

    public void WritePropertyName(string name) => WritePropertyName(Encoding.UTF8.GetBytes(name));

    public void WritePropertyName(ReadOnlySpan<byte> utf8Name)
    {
        BeforeItem();
        if (_codes is null)
        {
            WriteLengthItem(JsonBTag.StringTerm8, utf8Name);
            return;
        }
        var name = Encoding.UTF8.GetString(utf8Name);
        if (_codes.TryGetValue(name, out var code))
        {
            WriteCode(JsonBTag.TagCode8, code);
            return;
        }
        code = (uint)_codes.Count;
        _codes.Add(name, code);
        WriteCode(JsonBTag.TagCodeDefine8, code);
        WriteLengthItem(JsonBTag.StringTerm8, utf8Name);
    }

    public void WriteString(string value) => WriteString(Encoding.UTF8.GetBytes(value));

    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        BeforeItem();
        WriteLengthItem(JsonBTag.StringTerm8, utf8);
    }

    public void WriteBinary(ReadOnlySpan<byte> data)
    {
        BeforeItem();
        WriteLengthItem(JsonBTag.DataTerm8, data);
    }

    /// <summary>
    /// Writes one chunk of a binary value whose length is not known up front (streamed payloads);
    /// the value ends with the chunk written with <paramref name="isFinal"/> set.
    /// </summary>
    public void WriteBinaryChunk(ReadOnlySpan<byte> data, bool isFinal)
    {
        if (!_inBinaryChunks) BeforeItem();
        _inBinaryChunks = !isFinal;
        WriteLengthItem(isFinal ? JsonBTag.DataTerm8 : JsonBTag.DataChunk8, data);
    }

    public void WriteInteger(long value)
    {
        if (value < 0) WriteMagnitude(true, (ulong)(-(value + 1)) + 1);
        else WriteMagnitude(false, (ulong)value);
    }

    public void WriteUnsigned(ulong value) => WriteMagnitude(false, value);

    public void WriteInteger(BigInteger value)
    {
        var negative = value.Sign < 0;
        var magnitude = BigInteger.Abs(value);
        if (magnitude <= ulong.MaxValue)
        {
            WriteMagnitude(negative, (ulong)magnitude);
            return;
        }
        var bytes = magnitude.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > ushort.MaxValue) throw new MeshFormatException("Integer too large for a JSON-B bignum");
        BeforeItem();
        var span = _output.GetSpan(3 + bytes.Length);
        span[0] = negative ? JsonBTag.NegativeBignum16 : JsonBTag.PositiveBignum16;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)bytes.Length);
        bytes.CopyTo(span[3..]);
        _output.Advance(3 + bytes.Length);
    }

    public void WriteFloat(double value)
    {
        BeforeItem();
        var span = _output.GetSpan(9);
        span[0] = JsonBTag.Binary64;
        BinaryPrimitives.WriteDoubleBigEndian(span[1..], value);
        _output.Advance(9);
    }

    public void WriteBoolean(bool value) => WriteAtom(value ? JsonBTag.True : JsonBTag.False);

    public void WriteNull() => WriteAtom(JsonBTag.Null);

    void WriteAtom(byte tag)
    {
        BeforeItem();
        _output.GetSpan(1)[0] = tag;
        _output.Advance(1);
    }

    void WriteMagnitude(bool negative, ulong magnitude)
    {
        BeforeItem();
        var baseTag = negative ? JsonBTag.NegativeInt8 : JsonBTag.PositiveInt8;
        var span = _output.GetSpan(9);
        int width;
        if (magnitude <= byte.MaxValue) { span[0] = baseTag; span[1] = (byte)magnitude; width = 1; }
        else if (magnitude <= ushort.MaxValue) { span[0] = (byte)(baseTag + 1); BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)magnitude); width = 2; }
        else if (magnitude <= uint.MaxValue) { span[0] = (byte)(baseTag + 2); BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)magnitude); width = 4; }
        else { span[0] = (byte)(baseTag + 3); BinaryPrimitives.WriteUInt64BigEndian(span[1..], magnitude); width = 8; }
        _output.Advance(1 + width);
    }

    /// <summary>Writes tag+length+data choosing the smallest length field; <paramref name="tag8"/> is the 8-bit form.</summary>
    void WriteLengthItem(byte tag8, ReadOnlySpan<byte> data)
    {
        var span = _output.GetSpan(9 + data.Length);
        int header;
        if (data.Length <= byte.MaxValue) { span[0] = tag8; span[1] = (byte)data.Length; header = 2; }
        else if (data.Length <= ushort.MaxValue) { span[0] = (byte)(tag8 + 1); BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)data.Length); header = 3; }
        else { span[0] = (byte)(tag8 + 2); BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)data.Length); header = 5; }
        data.CopyTo(span[header..]);
        _output.Advance(header + data.Length);
    }

    void WriteCode(byte tag8, uint code)
    {
        var span = _output.GetSpan(5);
        int n;
        if (code <= byte.MaxValue) { span[0] = tag8; span[1] = (byte)code; n = 2; }
        else if (code <= ushort.MaxValue) { span[0] = (byte)(tag8 + 1); BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)code); n = 3; }
        else { span[0] = (byte)(tag8 + 2); BinaryPrimitives.WriteUInt32BigEndian(span[1..], code); n = 5; }
        _output.Advance(n);
    }

    void Open(byte bracket)
    {
        if (_depth >= MaxDepth) throw new InvalidOperationException($"JSON-B writer nesting deeper than {MaxDepth}");
        BeforeItem();
        _depth++;
        _output.GetSpan(1)[0] = bracket;
        _output.Advance(1);
    }

    void Close(byte bracket)
    {
        if (_depth == 0) throw new InvalidOperationException("JSON-B writer: close without open");
        if (_inBinaryChunks) throw new InvalidOperationException("JSON-B writer: binary value left unfinished");
        _depth--;
        _output.GetSpan(1)[0] = bracket;
        _output.Advance(1);
        _needsComma = true;
    }

    void BeforeItem()
    {
        if (_inBinaryChunks) throw new InvalidOperationException("JSON-B writer: binary value left unfinished");
        if (!_needsComma) return;
        _needsComma = false;
        _output.GetSpan(1)[0] = (byte)',';
        _output.Advance(1);
    }
}
