namespace Grpc.Core;

/// <summary>Flags for one write; kept for source compatibility, compression per write is not offered.</summary>
public sealed class WriteOptions
{
    public static readonly WriteOptions Default = new();
}

/// <summary>Options of one client call: headers to send, a deadline (UTC) and a cancellation token.</summary>
public readonly struct CallOptions
{
    public CallOptions(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default, WriteOptions? writeOptions = null)
    {
        Headers = headers;
        Deadline = deadline;
        CancellationToken = cancellationToken;
        WriteOptions = writeOptions;
    }

    public Metadata? Headers { get; }

    public DateTime? Deadline { get; }

    public CancellationToken CancellationToken { get; }

    public WriteOptions? WriteOptions { get; }

    public CallOptions WithHeaders(Metadata headers) => new(headers, Deadline, CancellationToken, WriteOptions);

    public CallOptions WithDeadline(DateTime deadline) => new(Headers, deadline, CancellationToken, WriteOptions);

    public CallOptions WithCancellationToken(CancellationToken cancellationToken) => new(Headers, Deadline, cancellationToken, WriteOptions);
}
