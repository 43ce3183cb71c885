namespace Mesh.Core.Dare;

/// <summary>The two serializations a DARE envelope travels in.</summary>
public enum DareEncoding
{
    /// <summary><c>[header, "payload-base64url", trailer]</c></summary>
    Json,

    /// <summary>The same array with the payload as a JSON-B data item (no base64 overhead).</summary>
    JsonB,
}

/// <summary>What to apply when encoding an envelope.</summary>
public sealed class DareEnvelopeOptions
{
    public string? EnvelopeId { get; init; }

    /// <summary>JSON-encoded ContentMeta, carried in plaintext in the header.</summary>
    public byte[]? ContentMetaData { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Annotations (EDS); encrypted under the master key when there are recipients.</summary>
    public IReadOnlyList<byte[]> Annotations { get; init; } = [];

    public IReadOnlyList<IDareRecipientKey> Recipients { get; init; } = [];

    public IReadOnlyList<IDareSigner> Signers { get; init; } = [];

    /// <summary>Digest over the payload; forced to S512 when signing. Null means no digest.</summary>
    public string? DigestAlgorithm { get; init; }

    public DareKeyDerivation Derivation { get; init; } = DareKeyDerivation.Specification;

    /// <summary>Fixed master key and salt for reproducing examples; null means fresh random values.</summary>
    internal byte[]? MasterKey { get; init; }

    internal byte[]? Salt { get; init; }

    internal string EffectiveDigest => DigestAlgorithm ?? (Signers.Count > 0 ? DareAlgorithms.Sha2_512 : "");
}
