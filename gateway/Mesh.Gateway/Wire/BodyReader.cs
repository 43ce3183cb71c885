using System.Buffers;

namespace Mesh.Gateway.Wire;

/// <summary>Reads a request body up to a limit, refusing larger ones without reading them whole.</summary>
public static class BodyReader
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
            throw TooLarge(limit, $"Content-Length {declared}");
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 64 * 1024) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), cancellationToken);
                if (read == 0) return buffer.AsSpan(0, length).ToArray();
                length += read;
                // One byte past the limit is enough to know; the rest of a chunked body is never read.
                if (length > limit) throw TooLarge(limit, "the body");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static MeshWireException TooLarge(int limit, string what) =>
        new(StatusCodes.Status413PayloadTooLarge, $"Request body too large: {what} exceeds the limit of {limit} bytes.");
}
