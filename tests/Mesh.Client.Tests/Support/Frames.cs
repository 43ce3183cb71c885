using System.Text;
using Mesh.Client.State;
using Mesh.Core.Dare;

namespace Mesh.Client.Tests.Support;

/// <summary>Store frames as a device writes them: frame 0 when the store is empty, then one plain envelope per payload.</summary>
internal static class Frames
{
    public static IReadOnlyList<DareEnvelope> Chain(MerkleFrontier from, params string[] payloads)
    {
        var frames = new List<DareEnvelope>();
        var frontier = from;
        if (frontier.Count == 0)
        {
            frames.Add(StoreFrames.SequenceHeader());
            frontier = frontier.Append(frames[0].Trailer!.PayloadDigest);
        }
        foreach (var payload in payloads)
        {
            var frame = StoreFrames.Next(Plain(payload), frontier);
            frames.Add(frame);
            frontier = frontier.Append(frame.Trailer!.PayloadDigest);
        }
        return frames;
    }

    public static DareEnvelope Plain(string payload) =>
        DareEnvelope.Encode(Encoding.UTF8.GetBytes(payload), new DareEnvelopeOptions { DigestAlgorithm = DareAlgorithms.Sha2_512 });
}
