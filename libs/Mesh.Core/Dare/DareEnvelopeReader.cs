using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>Limits and keys for reading an envelope.</summary>
public sealed class DareReadOptions
{
    public IReadOnlyList<IDareDecryptionKey> DecryptionKeys { get; init; } = [];

    public DareKeyDerivation Derivation { get; init; } = DareKeyDerivation.Specification;

    /// <summary>Header and trailer are held in memory; this bounds them.</summary>
    public int MaxHeaderBytes { get; init; } = 1 << 20;

    public long MaxPayloadBytes { get; init; } = long.MaxValue;

    /// <summary>When true an encrypted payload is written out still encrypted (no keys needed).</summary>
    public bool RawPayload { get; init; }
}

/// <summary>What a streaming read found: the parsed parts and the digest of the payload as carried.</summary>
public sealed record DareReadResult(DareHeader Header, DareTrailer? Trailer, byte[] ComputedDigest,
    long PayloadLength, DareEncoding Encoding, bool Wrapped);

/// <summary>
/// Single-pass envelope decoder for the JSON and JSON-B forms. The payload goes to the output as
/// it is read (decrypted when the header asks for it), so large payloads are not buffered; the
/// output is not authenticated until the returned digest is checked (see <see cref="DareEnvelope.Verify"/>).
/// </summary>
public sealed class DareEnvelopeReader
{
    readonly Stream input;
    readonly DareReadOptions options;
    int pushedBack = -1;
    long consumed;

    DareEnvelopeReader(Stream input, DareReadOptions options)
    {
        this.input = input;
        this.options = options;
    }

    public static DareReadResult Read(Stream input, Stream? payloadOutput, DareReadOptions? options = null)
        => new DareEnvelopeReader(input, options ?? new DareReadOptions()).ReadEnvelope(payloadOutput ?? Stream.Null);

    DareReadResult ReadEnvelope(Stream payloadOutput)
    {
        var wrapped = false;
        SkipSpace();
        if (Peek() == '{')
        {
            // {"DareEnvelope":[...]} as the examples print it.
            Next();
            SkipSpace();
            var name = ReadPlainString();
            if (name != "DareEnvelope") throw Error($"expected \"DareEnvelope\", found \"{name}\"");
            Expect(':');
            wrapped = true;
            SkipSpace();
        }
        Expect('[');
        SkipSpace();
        var header = DareHeader.FromJson(ReadObject("header"));
        SkipSpace();
        var encoding = DareEncoding.Json;
        byte[] digest = [];
        long length = 0;
        DareTrailer? trailer = null;
        if (Peek() == ',')
        {
            Next();
            SkipSpace();
            var digestId = header.DigestAlgorithm ?? DareAlgorithms.Sha2_512;
            DigestingSink sink;
            using (var cipher = header.EncryptionAlgorithm is not null && !options.RawPayload
                       ? DarePayloadCipher.ForDecoding(header, options.DecryptionKeys, options.Derivation) : null)
            using (var decryptor = cipher?.CreateDecryptor())
            {
                var target = decryptor is null ? payloadOutput : new CryptoStream(payloadOutput, decryptor, CryptoStreamMode.Write, leaveOpen: true);
                sink = new DigestingSink(target, digestId);
                var first = Peek();
                if (first == '"')
                {
                    length = ReadBase64Payload(sink);
                }
                else if (first is >= 0x88 and <= 0x8F)
                {
                    encoding = DareEncoding.JsonB;
                    length = ReadBinaryPayload(sink);
                }
                else
                {
                    throw Error("payload must be a base64url string or a JSON-B data item");
                }
                if (target is CryptoStream crypto)
                {
                    try
                    {
                        crypto.FlushFinalBlock();
                    }
                    catch (CryptographicException e)
                    {
                        throw new MeshCryptoException("payload does not decrypt: bad padding (wrong key or tampered ciphertext)", e);
                    }
                    crypto.Dispose();
                }
            }
            digest = sink.Complete()!;
            sink.Dispose();
            SkipSpace();
            if (Peek() == ',')
            {
                Next();
                SkipSpace();
                trailer = DareTrailer.FromJson(ReadObject("trailer"));
                SkipSpace();
            }
        }
        Expect(']');
        if (wrapped)
        {
            SkipSpace();
            Expect('}');
        }
        SkipSpace();
        if (Peek() != -1) throw Error("unexpected data after the end of the envelope");
        return new DareReadResult(header, trailer, digest, length, encoding, wrapped);
    }

    long ReadBase64Payload(Stream sink)
    {
        Next(); // opening quote
        if (TryReadCanonicalBase64(sink, out var decodedAll)) return decodedAll;
        Span<byte> quad = stackalloc byte[4];
        Span<byte> decoded = stackalloc byte[3];
        // Pooled (bench/formats); on an error the array is simply left to the GC.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(48 * 1024);
        var used = 0;
        var count = 0;
        long total = 0;
        var padding = false;
        while (true)
        {
            var c = Next();
            if (c == -1) throw Error("payload string is not terminated");
            if (c == '"') break;
            if (c is ' ' or '\n' or '\r' or '\t') continue;
            if (c == '=') { padding = true; continue; }
            if (padding) throw Error("payload has data after base64 padding");
            var v = Base64Value(c);
            if (v < 0) throw Error($"payload contains a character that is not base64url (0x{c:X2})");
            quad[count++] = (byte)v;
            if (count == 4)
            {
                decoded[0] = (byte)((quad[0] << 2) | (quad[1] >> 4));
                decoded[1] = (byte)((quad[1] << 4) | (quad[2] >> 2));
                decoded[2] = (byte)((quad[2] << 6) | quad[3]);
                decoded.CopyTo(buffer.AsSpan(used));
                used += 3;
                total += 3;
                count = 0;
                if (used + 3 > buffer.Length)
                {
                    sink.Write(buffer, 0, used);
                    used = 0;
                }
                CheckPayloadLimit(total);
            }
        }
        switch (count)
        {
            case 1:
                throw Error("payload base64url has a dangling character");
            case 2:
                buffer[used++] = (byte)((quad[0] << 2) | (quad[1] >> 4));
                total += 1;
                break;
            case 3:
                buffer[used++] = (byte)((quad[0] << 2) | (quad[1] >> 4));
                buffer[used++] = (byte)((quad[1] << 4) | (quad[2] >> 2));
                total += 2;
                break;
        }
        sink.Write(buffer, 0, used);
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        return total;
    }

    static readonly System.Buffers.SearchValues<byte> Base64UrlAlphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    /// <summary>
    /// An envelope held in memory whose payload string is canonical base64url (no line breaks,
    /// padding or '+/', which the loop of <see cref="ReadBase64Payload"/> handles) is decoded in one
    /// vectorised call instead of a character at a time; the bytes are the same.
    /// </summary>
    bool TryReadCanonicalBase64(Stream sink, out long total)
    {
        total = 0;
        if (pushedBack != -1 || input is not MemoryStream memory || !memory.TryGetBuffer(out var buffer)) return false;
        var start = (int)memory.Position;
        var rest = buffer.AsSpan(start);
        var end = rest.IndexOfAnyExcept(Base64UrlAlphabet);
        if (end < 0 || rest[end] != '"' || end % 4 == 1) return false;
        var length = end / 4 * 3 + (end % 4 == 0 ? 0 : end % 4 - 1);
        CheckPayloadLimit(length);
        var output = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            if (System.Buffers.Text.Base64Url.DecodeFromUtf8(rest[..end], output, out var read, out var written)
                != System.Buffers.OperationStatus.Done || read != end)
                return false;
            sink.Write(output, 0, written);
            memory.Position = start + end + 1; // past the closing quote
            consumed += end + 1;
            total = written;
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(output);
        }
    }

    long ReadBinaryPayload(Stream sink)
    {
        long total = 0;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        while (true)
        {
            var tag = Next();
            if (tag is < 0x88 or > 0x8F) throw Error($"payload chunk has tag 0x{tag:X2}, expected a JSON-B data item");
            var length = ReadLength(1 << (tag & 3));
            total += length;
            CheckPayloadLimit(total);
            while (length > 0)
            {
                var want = (int)Math.Min(length, buffer.Length);
                var got = ReadBlock(buffer, want);
                if (got < want) throw Error("payload is truncated");
                sink.Write(buffer, 0, got);
                length -= got;
            }
            if (tag <= 0x8B) // data-term ends the item, data-chunk continues it
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                return total;
            }
        }
    }

    void CheckPayloadLimit(long total)
    {
        if (total > options.MaxPayloadBytes)
            throw new MeshFormatException($"envelope payload exceeds the limit of {options.MaxPayloadBytes} bytes");
    }

    long ReadLength(int width)
    {
        ulong length = 0;
        for (var i = 0; i < width; i++)
        {
            var b = Next();
            if (b == -1) throw Error("truncated JSON-B length");
            length = (length << 8) | (uint)b;
        }
        if (length > long.MaxValue) throw Error("JSON-B length is out of range");
        return (long)length;
    }

    /// <summary>
    /// Reads one JSON object (which may hold JSON-B tagged values) by matching braces, without
    /// interpreting it; bounded by <see cref="DareReadOptions.MaxHeaderBytes"/>.
    /// </summary>
    byte[] ReadObject(string what)
    {
        if (Peek() != '{') throw Error($"{what} must be a JSON object");
        var bytes = new MemoryStream();
        var depth = 0;
        var binary = false;
        do
        {
            var c = Next();
            if (c == -1) throw Error($"{what} is truncated");
            bytes.WriteByte((byte)c);
            if (bytes.Length > options.MaxHeaderBytes) throw new MeshFormatException($"DARE {what} exceeds {options.MaxHeaderBytes} bytes");
            switch (c)
            {
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    depth--;
                    break;
                case '"':
                    CopyString(bytes, what);
                    break;
                case >= 0x80:
                    binary = true;
                    CopyTagged(bytes, c, what);
                    break;
            }
        }
        while (depth > 0);
        // JSON-B values in a header or trailer are transcoded to JSON text before parsing.
        return binary ? Json.JsonTranscoder.ToJson(bytes.ToArray()) : bytes.ToArray();
    }

    void CopyString(MemoryStream bytes, string what)
    {
        while (true)
        {
            var c = Next();
            if (c == -1) throw Error($"string in {what} is not terminated");
            bytes.WriteByte((byte)c);
            if (bytes.Length > options.MaxHeaderBytes) throw new MeshFormatException($"DARE {what} exceeds {options.MaxHeaderBytes} bytes");
            if (c == '\\')
            {
                var e = Next();
                if (e == -1) throw Error($"string in {what} is not terminated");
                bytes.WriteByte((byte)e);
            }
            else if (c == '"')
            {
                return;
            }
        }
    }

    void CopyTagged(MemoryStream bytes, int tag, string what)
    {
        var fixedLength = tag switch
        {
            0x90 => 2, 0x91 => 4, 0x92 => 8, 0x94 => 16,
            0xA0 or 0xA8 => 1, 0xA1 or 0xA9 => 2, 0xA2 or 0xAA => 4, 0xA3 or 0xAB => 8,
            0xB0 or 0xB1 or 0xB2 => 0,
            _ => -1,
        };
        long length;
        if (tag is >= 0x80 and <= 0x8F)
        {
            length = CopyLength(bytes, 1 << (tag & 3));
        }
        else if (tag is 0xA7 or 0xAF)
        {
            length = CopyLength(bytes, 2);
        }
        else if (fixedLength >= 0)
        {
            length = fixedLength;
        }
        else
        {
            throw Error($"{what} has an unknown JSON-B tag 0x{tag:X2}");
        }
        if (bytes.Length + length > options.MaxHeaderBytes) throw new MeshFormatException($"DARE {what} exceeds {options.MaxHeaderBytes} bytes");
        for (long i = 0; i < length; i++)
        {
            var b = Next();
            if (b == -1) throw Error($"{what} is truncated inside a JSON-B value");
            bytes.WriteByte((byte)b);
        }
    }

    long CopyLength(MemoryStream bytes, int width)
    {
        var length = ReadLength(width);
        for (var i = width - 1; i >= 0; i--) bytes.WriteByte((byte)(length >> (8 * i)));
        return length;
    }

    string ReadPlainString()
    {
        if (Next() != '"') throw Error("expected a string");
        var chars = new System.Text.StringBuilder();
        while (true)
        {
            var c = Next();
            if (c == -1) throw Error("string is not terminated");
            if (c == '"') return chars.ToString();
            if (c == '\\' || chars.Length > 64) throw Error("unexpected envelope wrapper name");
            chars.Append((char)c);
        }
    }

    static int Base64Value(int c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' or '+' => 62,
        '_' or '/' => 63,
        _ => -1,
    };

    void Expect(char c)
    {
        SkipSpace();
        var got = Next();
        if (got != c) throw Error(got == -1 ? $"envelope ends where '{c}' was expected" : $"expected '{c}', found 0x{got:X2}");
    }

    void SkipSpace()
    {
        while (Peek() is ' ' or '\n' or '\r' or '\t') Next();
    }

    int Peek()
    {
        if (pushedBack == -1)
        {
            pushedBack = input.ReadByte();
            if (pushedBack == -1) return -1;
        }
        return pushedBack;
    }

    int Next()
    {
        int c;
        if (pushedBack != -1)
        {
            c = pushedBack;
            pushedBack = -1;
        }
        else
        {
            c = input.ReadByte();
        }
        if (c != -1) consumed++;
        return c;
    }

    int ReadBlock(byte[] buffer, int count)
    {
        var offset = 0;
        if (count > 0 && pushedBack != -1)
        {
            buffer[offset++] = (byte)pushedBack;
            pushedBack = -1;
        }
        while (offset < count)
        {
            var n = input.Read(buffer, offset, count - offset);
            if (n == 0) break;
            offset += n;
        }
        consumed += offset;
        return offset;
    }

    MeshFormatException Error(string problem) => new($"malformed DARE envelope at byte {consumed}: {problem}");
}
