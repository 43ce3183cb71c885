using System.Buffers.Text;
using System.Security.Cryptography;

namespace Mesh.Core.Dare;

/// <summary>
/// Write-only stream that digests the payload bytes (the digest is over the binary payload,
/// after encryption, before any base64) and passes them on raw (JSON-B) or as base64url (JSON).
/// </summary>
internal sealed class PayloadSink : Stream
{
    readonly Stream inner;
    readonly bool base64;
    readonly IncrementalHash? hash;
    readonly byte[] carry = new byte[2];
    int carried;

    public PayloadSink(Stream inner, bool base64, string? digestAlgorithm)
    {
        this.inner = inner;
        this.base64 = base64;
        hash = string.IsNullOrEmpty(digestAlgorithm) ? null : DareAlgorithms.CreateDigest(digestAlgorithm);
    }

    public long BytesWritten { get; private set; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        hash?.AppendData(data);
        BytesWritten += data.Length;
        if (!base64)
        {
            inner.Write(data);
            return;
        }
        // Encode whole 3-byte groups; keep up to two octets for the next call.
        Span<byte> group = stackalloc byte[3];
        while (carried > 0 && carried < 3 && !data.IsEmpty)
        {
            carry.AsSpan(0, carried).CopyTo(group);
            var need = Math.Min(3 - carried, data.Length);
            data[..need].CopyTo(group[carried..]);
            data = data[need..];
            if (carried + need < 3)
            {
                group[..(carried + need)].CopyTo(carry);
                carried += need;
                return;
            }
            EmitBase64(group);
            carried = 0;
        }
        var whole = data.Length - data.Length % 3;
        for (var start = 0; start < whole; start += 3 * 4096)
        {
            EmitBase64(data.Slice(start, Math.Min(3 * 4096, whole - start)));
        }
        data[whole..].CopyTo(carry);
        carried = data.Length - whole;
    }

    void EmitBase64(ReadOnlySpan<byte> data)
    {
        var encoded = new byte[Base64Url.GetEncodedLength(data.Length)];
        Base64Url.EncodeToUtf8(data, encoded);
        inner.Write(encoded);
    }

    /// <summary>Writes any octets still held for base64 and returns the payload digest (or null).</summary>
    public byte[]? Complete()
    {
        if (base64 && carried > 0) EmitBase64(carry.AsSpan(0, carried));
        carried = 0;
        return hash?.GetHashAndReset();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash?.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Write-only stream that digests what it is given and forwards it.</summary>
internal sealed class DigestingSink(Stream inner, string? digestAlgorithm) : Stream
{
    readonly IncrementalHash? hash = string.IsNullOrEmpty(digestAlgorithm) ? null : DareAlgorithms.CreateDigest(digestAlgorithm);

    public byte[]? Complete() => hash?.GetHashAndReset();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        hash?.AppendData(data);
        inner.Write(data);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash?.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
