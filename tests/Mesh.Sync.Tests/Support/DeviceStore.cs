using System.Security.Cryptography;
using System.Text.Json;
using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Sync.Tests.Support;

/// <summary>
/// A device's copy of one store: it writes frames the way a client appends to a Merkle sequence
/// (next index, PayloadDigest, ApexDigest of the tree after the frame, optionally a signed apex)
/// and tracks the index and apex it expects the service to hold.
/// </summary>
public sealed class DeviceStore(string name)
{
    public string Name { get; } = name;

    public MerkleFrontier Frontier { get; private set; } = MerkleFrontier.Empty;

    /// <summary>A frame for the next index; the local copy only moves on when <see cref="Commit"/> is called.</summary>
    public (Enveloped Envelope, MerkleFrontier After) Frame(byte[] payload, MerkleFrontier? from = null, IDareSigner? apexSigner = null,
        Action<DareHeader, DareTrailer>? tamper = null)
    {
        var frontier = from ?? Frontier;
        var digest = SHA512.HashData(payload);
        var after = frontier.Append(digest);
        var header = new DareHeader
        {
            DigestAlgorithm = DareAlgorithms.Sha2_512,
            SequenceInfo = new SequenceInfo { Index = frontier.Count },
        };
        var trailer = new DareTrailer { PayloadDigest = digest, ApexDigest = after.Apex };
        if (apexSigner is not null)
            trailer.SequenceSignatures = [new DareSignature { Algorithm = apexSigner.Algorithm, KeyIdentifier = apexSigner.KeyIdentifier, SignatureValue = apexSigner.Sign(after.Apex) }];
        tamper?.Invoke(header, trailer);
        return (new Enveloped { Header = Element(header.ToJson()), Payload = payload, Trailer = Element(trailer.ToJson()) }, after);
    }

    /// <summary>An update appending <paramref name="payloads"/>, naming the index and apex of the local copy.</summary>
    public (ContainerUpdate Update, MerkleFrontier After) Update(params byte[][] payloads)
    {
        var frontier = Frontier;
        var envelopes = new List<Enveloped>();
        foreach (var payload in payloads)
        {
            var (envelope, after) = Frame(payload, frontier);
            envelopes.Add(envelope);
            frontier = after;
        }
        return (Expecting(Frontier, envelopes), frontier);
    }

    public ContainerUpdate Expecting(MerkleFrontier state, List<Enveloped> envelopes) => new()
    {
        Container = Name,
        Index = state.Count == 0 ? null : state.Count - 1,
        Digest = state.Count == 0 ? null : state.Apex,
        Envelopes = envelopes,
    };

    public void Commit(MerkleFrontier after) => Frontier = after;

    public static byte[] Payload(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    static JsonElement Element(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
