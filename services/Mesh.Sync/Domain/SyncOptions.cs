namespace Mesh.Sync.Domain;

/// <summary>Limits of the sync service (configuration section <see cref="Section"/>).</summary>
public sealed class SyncOptions
{
    public const string Section = "Mesh:Sync";

    /// <summary>
    /// Largest payload (as carried, ciphertext when encrypted) of an entry: what Hello advertises as
    /// ConstraintsUpdate.BytesMax (§10.4.3 "payload bytes"; Mesh messages are limited to 64 KB).
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest entry as stored (the JSON envelope: base64url payload, header, trailer), which bounds
    /// what headers and trailers add; the default leaves a 64 KiB payload about 10 KiB of them.
    /// </summary>
    public int MaxEnvelopeBytes { get; set; } = 96 * 1024;

    /// <summary>Most envelopes one Transact may append.</summary>
    public int MaxTransactEntries { get; set; } = 256;

    /// <summary>Most envelopes one Download response carries, whatever the client asks.</summary>
    public int MaxDownloadEntries { get; set; } = 256;

    /// <summary>Most envelope bytes one Download response carries; the rest is left to the page key.</summary>
    public int MaxDownloadBytes { get; set; } = 2 * 1024 * 1024;

    public void Validate()
    {
        if (MaxPayloadBytes < 1 || MaxEnvelopeBytes < 1 || MaxTransactEntries < 1 || MaxDownloadEntries < 1)
            throw new InvalidOperationException($"{Section}: limits must be positive.");
        if (MaxEnvelopeBytes < MaxPayloadBytes)
            throw new InvalidOperationException($"{Section}:MaxEnvelopeBytes must be at least MaxPayloadBytes.");
        if (MaxDownloadBytes < MaxEnvelopeBytes)
            throw new InvalidOperationException($"{Section}:MaxDownloadBytes must be at least MaxEnvelopeBytes so every entry can be downloaded.");
    }
}
