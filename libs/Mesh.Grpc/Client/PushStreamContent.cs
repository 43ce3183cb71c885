using System.Net;
using System.Net.Http.Headers;

namespace Mesh.Grpc.Client;

/// <summary>
/// A request body written while the call runs: HttpClient hands over the HTTP/2 stream when it starts
/// sending, writers push frames into it, and completing the content ends the stream (END_STREAM).
/// </summary>
internal sealed class PushStreamContent : HttpContent
{
    readonly TaskCompletionSource<Stream> stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PushStreamContent(MediaTypeHeaderValue contentType)
    {
        Headers.ContentType = contentType;
    }

    public Task<Stream> GetStreamAsync(CancellationToken cancellationToken) => stream.Task.WaitAsync(cancellationToken);

    public void Complete() => completed.TrySetResult();

    /// <summary>The call ended: release HttpClient's send loop without ending the stream cleanly.</summary>
    public void Abort() => completed.TrySetCanceled();

    protected override Task SerializeToStreamAsync(Stream target, TransportContext? context) => SerializeToStreamAsync(target, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream target, TransportContext? context, CancellationToken cancellationToken)
    {
        stream.TrySetResult(target);
        await completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
