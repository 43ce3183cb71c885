using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Text;
using System.Text.Unicode;

namespace Mesh.Core.Json;

public enum MeshJsonTokenType : byte
{
    None,
    StartObject,
    EndObject,
    StartArray,
    EndArray,
    PropertyName,
    String,
    Binary,
    Integer,
    Float,
    True,
    False,
    Null,
}

/// <summary>
/// Resolves a JSON-C dictionary from its UDF fingerprint (the <c>dict-hash</c> item); returns the
/// dictionary's strings, or null when the dictionary is unknown.
/// </summary>
public delegate IReadOnlyList<string>? JsonCDictionaryResolver(ReadOnlySpan<byte> fingerprint);

/// <summary>
/// Forward-only token reader for JSON, JSON-B and JSON-C (one grammar: each is a superset of the
/// one before). Text strings may carry the raw line breaks the reference encoder puts inside long
/// values; those line breaks and the indentation after them are dropped. Every malformed or
/// truncated input ends in <see cref="MeshFormatException"/>.
/// </summary>
public ref struct MeshJsonReader
{
    const int MaxDepth = 64;

    readonly ReadOnlySpan<byte> _data;
    readonly JsonCDictionaryResolver? _dictionaries;
    int _pos;
    int _depth;
    ulong _objectBits;       // bit d set: the container at depth d+1 is an object
    bool _expectName;        // in an object, the next item is a tag
    bool _afterValue;        // an item finished at this level (a comma may follow)
    bool _afterComma;
    bool _rootDone;
    byte[]? _scratch;
    Dictionary<uint, byte[]>? _codes;
    ReadOnlySpan<byte> _value;

    public MeshJsonReader(ReadOnlySpan<byte> data, JsonCDictionaryResolver? dictionaries = null)
    {
        _data = data;
        _dictionaries = dictionaries;
        _value = default;
        TokenType = MeshJsonTokenType.None;
    }

    public MeshJsonTokenType TokenType { get; private set; }

    /// <summary>UTF-8 of a tag or string (unescaped), bytes of binary data, text of a JSON number.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _value;

    /// <summary>True when the current number came from JSON text (its text is in <see cref="ValueSpan"/>).</summary>
    public bool NumberIsText { get; private set; }

    /// <summary>True when the current string or tag came from a JSON-B/JSON-C item rather than text.</summary>
    public bool StringIsBinaryEncoded { get; private set; }

    public bool IntegerIsNegative { get; private set; }

    /// <summary>Magnitude of an integer that fits 64 bits (see <see cref="IntegerIsBig"/>).</summary>
    public ulong IntegerMagnitude { get; private set; }

    public bool IntegerIsBig { get; private set; }

    public BigInteger BigIntegerValue { get; private set; }

    public double FloatValue { get; private set; }

    public readonly int CurrentDepth => _depth;

    public readonly int BytesConsumed => _pos;

    public readonly string GetString() => Encoding.UTF8.GetString(_value);

    public readonly BigInteger GetBigInteger() =>
        IntegerIsBig ? BigIntegerValue : IntegerIsNegative ? -(BigInteger)IntegerMagnitude : IntegerMagnitude;

    public bool Read()
    {
        NumberIsText = false;
        StringIsBinaryEncoded = false;
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _data.Length)
            {
                if (_rootDone) return false;
                throw Fail(TokenType == MeshJsonTokenType.None ? "empty input" : "input ends inside a value");
            }
            if (_rootDone) throw Fail("data after the end of the root value");
            var b = _data[_pos];
            switch (b)
            {
                case (byte)',':
                    if (_depth == 0 || !_afterValue || _afterComma) throw Fail("misplaced ','");
                    _pos++;
                    _afterComma = true;
                    continue;
                case (byte)':':
                    if (TokenType != MeshJsonTokenType.PropertyName || _expectName) throw Fail("misplaced ':'");
                    _pos++;
                    continue;
                case >= JsonBTag.TagDefine8 and <= JsonBTag.TagDefine32:
                case >= JsonBTag.TagDictionaryDefine8 and <= JsonBTag.TagDictionaryDefine32:
                    _pos++;
                    DefineCode(ReadCode(b & 3));
                    continue;
                case JsonBTag.DictionaryHash:
                    _pos++;
                    InsertDictionary();
                    continue;
            }
            if (b is (byte)'}' or (byte)']')
            {
                var isObject = b == (byte)'}';
                if (_depth == 0 || InObject != isObject) throw Fail($"unbalanced '{(char)b}'");
                if (_afterComma) throw Fail("trailing ','");
                if (InObject && !_expectName) throw Fail("object ends after a tag without its value");
                _pos++;
                _depth--;
                TokenType = isObject ? MeshJsonTokenType.EndObject : MeshJsonTokenType.EndArray;
                AfterValue();
                return true;
            }
            if (InObject && _expectName)
            {
                ReadName(b);
                _expectName = false;
                _afterValue = false;
                _afterComma = false;
                TokenType = MeshJsonTokenType.PropertyName;
                return true;
            }
            ReadValue(b);
            return true;
        }
    }

    /// <summary>Skips the children of the current StartObject/StartArray (or the value after a tag).</summary>
    public void Skip()
    {
        if (TokenType == MeshJsonTokenType.PropertyName) Read();
        if (TokenType is not (MeshJsonTokenType.StartObject or MeshJsonTokenType.StartArray)) return;
        var depth = _depth - 1;
        while (Read() && _depth > depth) { }
    }

    readonly bool InObject => _depth > 0 && (_objectBits & (1UL << (_depth - 1))) != 0;

    void ReadName(byte b)
    {
        if (b == (byte)'"')
        {
            ReadTextString();
            return;
        }
        if (b is >= JsonBTag.StringTerm8 and <= JsonBTag.StringChunk64)
        {
            _pos++;
            ReadBinaryString(b);
            return;
        }
        if (b is >= JsonBTag.TagCode8 and <= JsonBTag.TagCode32 or >= JsonBTag.TagCodeDefine8 and <= JsonBTag.TagCodeDefine32)
        {
            _pos++;
            ReadCodedString(b);
            return;
        }
        throw Fail($"expected a tag, found 0x{b:X2}");
    }

    void ReadValue(byte b)
    {
        _afterComma = false;
        switch (b)
        {
            case (byte)'{':
            case (byte)'[':
                if (_depth >= MaxDepth) throw Fail($"nesting deeper than {MaxDepth}");
                _pos++;
                if (b == (byte)'{') _objectBits |= 1UL << _depth;
                else _objectBits &= ~(1UL << _depth);
                _depth++;
                _expectName = b == (byte)'{';
                _afterValue = false;
                TokenType = b == (byte)'{' ? MeshJsonTokenType.StartObject : MeshJsonTokenType.StartArray;
                return;
            case (byte)'"':
                ReadTextString();
                TokenType = MeshJsonTokenType.String;
                break;
            case (byte)'t': ReadLiteral("true"u8, MeshJsonTokenType.True); break;
            case (byte)'f': ReadLiteral("false"u8, MeshJsonTokenType.False); break;
            case (byte)'n': ReadLiteral("null"u8, MeshJsonTokenType.Null); break;
            case (byte)'-' or >= (byte)'0' and <= (byte)'9':
                ReadTextNumber();
                break;
            case >= JsonBTag.StringTerm8 and <= JsonBTag.StringChunk64:
                _pos++;
                ReadBinaryString(b);
                TokenType = MeshJsonTokenType.String;
                break;
            case >= JsonBTag.DataTerm8 and <= JsonBTag.DataChunk64:
                _pos++;
                ReadBinaryData(b);
                TokenType = MeshJsonTokenType.Binary;
                break;
            case >= JsonBTag.TagCode8 and <= JsonBTag.TagCode32:
            case >= JsonBTag.TagCodeDefine8 and <= JsonBTag.TagCodeDefine32:
                _pos++;
                ReadCodedString(b);
                TokenType = MeshJsonTokenType.String;
                break;
            case JsonBTag.Binary16:
                FloatValue = (double)BinaryPrimitives.ReadHalfBigEndian(Take(1, 2));
                TokenType = MeshJsonTokenType.Float;
                break;
            case JsonBTag.Binary32:
                FloatValue = BinaryPrimitives.ReadSingleBigEndian(Take(1, 4));
                TokenType = MeshJsonTokenType.Float;
                break;
            case JsonBTag.Binary64:
                FloatValue = BinaryPrimitives.ReadDoubleBigEndian(Take(1, 8));
                TokenType = MeshJsonTokenType.Float;
                break;
            case >= JsonBTag.PositiveInt8 and <= JsonBTag.NegativeBignum16:
                ReadBinaryInteger(b);
                TokenType = MeshJsonTokenType.Integer;
                break;
            case JsonBTag.True: _pos++; TokenType = MeshJsonTokenType.True; break;
            case JsonBTag.False: _pos++; TokenType = MeshJsonTokenType.False; break;
            case JsonBTag.Null: _pos++; TokenType = MeshJsonTokenType.Null; break;
            case >= JsonBTag.FirstFrame:
                throw Fail($"JBCD frame tag 0x{b:X2} inside JSON data");
            default:
                throw Fail($"unexpected byte 0x{b:X2}");
        }
        AfterValue();
    }

    void AfterValue()
    {
        _afterComma = false;
        if (_depth == 0)
        {
            _rootDone = true;
            return;
        }
        _afterValue = true;
        if (InObject) _expectName = true;
    }

    void SkipWhitespace()
    {
        while (_pos < _data.Length && _data[_pos] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') _pos++;
    }

    ReadOnlySpan<byte> Take(int skip, int count)
    {
        if ((long)_pos + skip + count > _data.Length) throw Fail("input ends inside a value");
        var span = _data.Slice(_pos + skip, count);
        _pos += skip + count;
        return span;
    }

    void ReadLiteral(ReadOnlySpan<byte> literal, MeshJsonTokenType type)
    {
        if (!_data[_pos..].StartsWith(literal)) throw Fail("invalid literal");
        _pos += literal.Length;
        TokenType = type;
    }

    void ReadTextNumber()
    {
        var start = _pos;
        var p = _pos;
        if (p < _data.Length && _data[p] == (byte)'-') p++;
        var intStart = p;
        while (p < _data.Length && IsDigit(_data[p])) p++;
        if (p == intStart) throw Fail("number without digits");
        if (p - intStart > 1 && _data[intStart] == (byte)'0') throw Fail("number with a leading zero");
        var isInteger = true;
        if (p < _data.Length && _data[p] == (byte)'.')
        {
            isInteger = false;
            var f = ++p;
            while (p < _data.Length && IsDigit(_data[p])) p++;
            if (p == f) throw Fail("number with an empty fraction");
        }
        if (p < _data.Length && _data[p] is (byte)'e' or (byte)'E')
        {
            isInteger = false;
            p++;
            if (p < _data.Length && _data[p] is (byte)'+' or (byte)'-') p++;
            var e = p;
            while (p < _data.Length && IsDigit(_data[p])) p++;
            if (p == e) throw Fail("number with an empty exponent");
        }
        _pos = p;
        _value = _data[start..p];
        NumberIsText = true;
        if (isInteger)
        {
            TokenType = MeshJsonTokenType.Integer;
            var negative = _value[0] == (byte)'-';
            IntegerIsNegative = negative;
            if (Utf8Parser.TryParse(_value[(negative ? 1 : 0)..], out ulong magnitude, out var used) && used == _value.Length - (negative ? 1 : 0))
            {
                IntegerIsBig = false;
                IntegerMagnitude = magnitude;
            }
            else
            {
                IntegerIsBig = true;
                BigIntegerValue = BigInteger.Parse(Encoding.ASCII.GetString(_value), System.Globalization.CultureInfo.InvariantCulture);
            }
            if (negative && !IntegerIsBig && magnitude == 0) IntegerIsNegative = false;
        }
        else
        {
            TokenType = MeshJsonTokenType.Float;
            if (!Utf8Parser.TryParse(_value, out double d, out var used, 'e') || used != _value.Length)
                throw Fail("number out of range");
            FloatValue = d;
        }
    }

    static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    void ReadBinaryInteger(byte tag)
    {
        _pos++;
        var negative = tag >= JsonBTag.NegativeInt8;
        var kind = tag & 0x07;
        IntegerIsNegative = negative;
        IntegerIsBig = false;
        switch (kind)
        {
            case 0: IntegerMagnitude = Take(0, 1)[0]; break;
            case 1: IntegerMagnitude = BinaryPrimitives.ReadUInt16BigEndian(Take(0, 2)); break;
            case 2: IntegerMagnitude = BinaryPrimitives.ReadUInt32BigEndian(Take(0, 4)); break;
            case 3: IntegerMagnitude = BinaryPrimitives.ReadUInt64BigEndian(Take(0, 8)); break;
            case 4: SetBig(Take(0, 16), negative); break;
            case 5 when !negative: SetBig(Take(0, 32), false); break;
            case 6 when !negative: SetBig(Take(0, 64), false); break;
            case 7:
                var length = BinaryPrimitives.ReadUInt16BigEndian(Take(0, 2));
                SetBig(Take(0, length), negative);
                break;
            default:
                throw Fail($"unassigned integer tag 0x{tag:X2}");
        }
        if (!IntegerIsBig && IntegerMagnitude == 0) IntegerIsNegative = false;
    }

    void SetBig(ReadOnlySpan<byte> magnitude, bool negative)
    {
        var value = new BigInteger(magnitude, isUnsigned: true, isBigEndian: true);
        if (value <= ulong.MaxValue)
        {
            IntegerMagnitude = (ulong)value;
            return;
        }
        IntegerIsBig = true;
        BigIntegerValue = negative ? -value : value;
    }

    ulong ReadLength(int kind) => kind switch
    {
        0 => Take(0, 1)[0],
        1 => BinaryPrimitives.ReadUInt16BigEndian(Take(0, 2)),
        2 => BinaryPrimitives.ReadUInt32BigEndian(Take(0, 4)),
        _ => BinaryPrimitives.ReadUInt64BigEndian(Take(0, 8)),
    };

    /// <summary>Reads chunks of one kind (string or data) until the terminal chunk.</summary>
    void ReadChunks(byte tag, byte termBase)
    {
        var chunkBase = (byte)(termBase + 4);
        var first = true;
        var total = 0;
        while (true)
        {
            if (!first)
            {
                if (_pos >= _data.Length) throw Fail("input ends inside a chunked value");
                tag = _data[_pos++];
                if (tag < termBase || tag > chunkBase + 3) throw Fail($"chunk of another kind (0x{tag:X2}) inside a chunked value");
            }
            var isTerm = tag < chunkBase;
            var length = ReadLength(tag & 3);
            if (length > (ulong)(_data.Length - _pos)) throw Fail("length runs past the end of the input");
            var chunk = _data.Slice(_pos, (int)length);
            _pos += (int)length;
            if (first && isTerm)
            {
                _value = chunk;
                return;
            }
            EnsureScratch(total + chunk.Length);
            chunk.CopyTo(_scratch.AsSpan(total));
            total += chunk.Length;
            first = false;
            if (isTerm)
            {
                _value = _scratch.AsSpan(0, total);
                return;
            }
        }
    }

    void ReadBinaryString(byte tag)
    {
        ReadChunks(tag, JsonBTag.StringTerm8);
        if (!Utf8.IsValid(_value)) throw Fail("string is not valid UTF-8");
        StringIsBinaryEncoded = true;
    }

    void ReadBinaryData(byte tag) => ReadChunks(tag, JsonBTag.DataTerm8);

    uint ReadCode(int kind) => kind switch
    {
        0 => Take(0, 1)[0],
        1 => BinaryPrimitives.ReadUInt16BigEndian(Take(0, 2)),
        2 => BinaryPrimitives.ReadUInt32BigEndian(Take(0, 4)),
        _ => throw Fail("unassigned tag code width"),
    };

    void ReadCodedString(byte tag)
    {
        var code = ReadCode(tag & 3);
        if (tag >= JsonBTag.TagCodeDefine8) DefineCode(code);
        if (_codes is null || !_codes.TryGetValue(code, out var text)) throw Fail($"JSON-C tag code {code} used before its definition");
        _value = text;
        StringIsBinaryEncoded = true;
    }

    /// <summary>Reads the string that follows a code definition and records it.</summary>
    void DefineCode(uint code)
    {
        SkipWhitespace();
        if (_pos >= _data.Length) throw Fail("input ends inside a JSON-C tag definition");
        var b = _data[_pos];
        if (b == (byte)'"') ReadTextString();
        else if (b is >= JsonBTag.StringTerm8 and <= JsonBTag.StringChunk64)
        {
            _pos++;
            ReadBinaryString(b);
        }
        else throw Fail("JSON-C tag definition without a string");
        _codes ??= new Dictionary<uint, byte[]>();
        if (_codes.Count >= 1 << 20) throw Fail("too many JSON-C tag definitions");
        _codes[code] = _value.ToArray();
    }

    void InsertDictionary()
    {
        var offset = BinaryPrimitives.ReadUInt32BigEndian(Take(0, 4));
        var length = Take(0, 1)[0];
        var fingerprint = Take(0, length);
        var entries = _dictionaries?.Invoke(fingerprint)
            ?? throw Fail($"unknown JSON-C dictionary {Convert.ToHexString(fingerprint)}");
        _codes ??= new Dictionary<uint, byte[]>();
        for (var i = 0; i < entries.Count; i++) _codes[checked(offset + (uint)i)] = Encoding.UTF8.GetBytes(entries[i]);
    }

    void ReadTextString()
    {
        var start = ++_pos;
        var simple = true;
        var p = start;
        while (true)
        {
            if (p >= _data.Length) throw Fail("input ends inside a string");
            var c = _data[p];
            if (c == (byte)'"') break;
            if (c == (byte)'\\')
            {
                simple = false;
                p += 2;
                continue;
            }
            if (c < 0x20)
            {
                if (c is not ((byte)'\n' or (byte)'\r')) throw Fail($"control character 0x{c:X2} inside a string");
                simple = false;
            }
            p++;
        }
        if (simple)
        {
            _value = _data[start..p];
            _pos = p + 1;
            if (!Utf8.IsValid(_value)) throw Fail("string is not valid UTF-8");
            return;
        }
        Unescape(start, p);
        _pos = p + 1;
    }

    void Unescape(int start, int end)
    {
        EnsureScratch(end - start);
        var o = 0;
        var p = start;
        while (p < end)
        {
            var c = _data[p];
            if (c is (byte)'\n' or (byte)'\r')
            {
                // A line break the reference encoder put inside a long value, with its indentation.
                p++;
                while (p < end && _data[p] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') p++;
                continue;
            }
            if (c != (byte)'\\')
            {
                _scratch![o++] = c;
                p++;
                continue;
            }
            if (p + 1 >= end) throw Fail("string ends inside an escape");
            var e = _data[p + 1];
            p += 2;
            switch (e)
            {
                case (byte)'"': _scratch![o++] = (byte)'"'; break;
                case (byte)'\\': _scratch![o++] = (byte)'\\'; break;
                case (byte)'/': _scratch![o++] = (byte)'/'; break;
                case (byte)'b': _scratch![o++] = 8; break;
                case (byte)'f': _scratch![o++] = 12; break;
                case (byte)'n': _scratch![o++] = 10; break;
                case (byte)'r': _scratch![o++] = 13; break;
                case (byte)'t': _scratch![o++] = 9; break;
                case (byte)'u':
                    var cp = (int)Hex4(ref p, end);
                    if (cp is >= 0xD800 and <= 0xDBFF)
                    {
                        if (p + 6 > end || _data[p] != (byte)'\\' || _data[p + 1] != (byte)'u') throw Fail("unpaired surrogate escape");
                        p += 2;
                        var low = (int)Hex4(ref p, end);
                        if (low is < 0xDC00 or > 0xDFFF) throw Fail("unpaired surrogate escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    else if (cp is >= 0xDC00 and <= 0xDFFF) throw Fail("unpaired surrogate escape");
                    o += new Rune(cp).EncodeToUtf8(_scratch.AsSpan(o));
                    break;
                default:
                    throw Fail($"invalid escape '\\{(char)e}'");
            }
        }
        _value = _scratch.AsSpan(0, o);
        if (!Utf8.IsValid(_value)) throw Fail("string is not valid UTF-8");
    }

    uint Hex4(ref int p, int end)
    {
        if (p + 4 > end) throw Fail("short \\u escape");
        if (!Utf8Parser.TryParse(_data.Slice(p, 4), out uint v, out var used, 'x') || used != 4) throw Fail("invalid \\u escape");
        p += 4;
        return v;
    }

    void EnsureScratch(int size)
    {
        if (_scratch is null || _scratch.Length < size)
        {
            var bigger = new byte[Math.Max(size, Math.Max(256, (_scratch?.Length ?? 0) * 2))];
            _scratch?.AsSpan().CopyTo(bigger);
            _scratch = bigger;
        }
    }

    readonly MeshFormatException Fail(string problem) => new($"JSON/JSON-B: {problem} at byte {_pos}");
}
