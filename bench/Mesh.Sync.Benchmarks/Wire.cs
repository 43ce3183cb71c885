using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Sync.Benchmarks;

/// <summary>Bytes that crossed the sockets of one HttpClient: TCP payload, so TLS records and HTTP headers included.</summary>
public sealed class WireCounter
{
    long sent;
    long received;

    public long Sent => Interlocked.Read(ref sent);

    public long Received => Interlocked.Read(ref received);

    internal void AddSent(int count) => Interlocked.Add(ref sent, count);

    internal void AddReceived(int count) => Interlocked.Add(ref received, count);
}

/// <summary>The HttpClients of the run: each counts its socket bytes; https:// pins the stack's certificate.</summary>
public static class Wire
{
    public static HttpClient Client(WireCounter counter, X509Certificate2? pinned) => new(new SocketsHttpHandler
    {
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellation);
                return new CountingStream(new NetworkStream(socket, ownsSocket: true), counter);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            // The gateway's self-signed certificate from the state folder, as a user would pin it.
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                pinned is null ? errors == SslPolicyErrors.None
                    : presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(pinned.GetCertHash()),
        },
    })
    { Timeout = TimeSpan.FromSeconds(120) };

    sealed class CountingStream(Stream inner, WireCounter counter) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            counter.AddReceived(n);
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            counter.AddReceived(n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            counter.AddSent(count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            counter.AddSent(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
