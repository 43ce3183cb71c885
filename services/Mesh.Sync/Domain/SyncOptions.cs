namespace Mesh.Sync.Domain;

/// <summary>Limits of the sync service (configuration section <see cref="Section"/>).</summary>
public sealed class SyncOptions
{
    public const string Section = "Mesh:Sync";

    /// <summary>Largest envelope accepted in a store (§7.3: Mesh messages are limited to 64 KB).</summary>
    public int MaxEnvelopeBytes { get; set; } = 64 * 1024;

    /// <summary>Most envelopes one Transact may append.</summary>
    public int MaxTransactEntries { get; set; } = 256;

    /// <summary>Most envelopes one Download response carries, whatever the client asks.</summary>
    public int MaxDownloadEntries { get; set; } = 256;

    /// <summary>Most envelope bytes one Download response carries; the rest is left to the page key.</summary>
    public int MaxDownloadBytes { get; set; } = 2 * 1024 * 1024;

    public void Validate()
    {
        if (MaxEnvelopeBytes < 1 || MaxTransactEntries < 1 || MaxDownloadEntries < 1)
            throw new InvalidOperationException($"{Section}: limits must be positive.");
        if (MaxDownloadBytes < MaxEnvelopeBytes)
            throw new InvalidOperationException($"{Section}:MaxDownloadBytes must be at least MaxEnvelopeBytes so every entry can be downloaded.");
    }
}
