namespace Mesh.Core.Dare;

/// <summary>The catalog operations as written in ContentMeta.Event.</summary>
public static class DareCatalogEvent
{
    /// <summary>Adds the entry (the DARE draft's "Add"; the reference writes "New", ProtocolUpload.md).</summary>
    public const string New = "New";
    public const string Update = "Update";
    public const string Delete = "Delete";

    /// <summary>The draft's name for <see cref="New"/>, accepted when reading.</summary>
    public const string Add = "Add";
}

/// <summary>The current value of one catalog entry and the frame that set it.</summary>
public sealed record DareCatalogEntry(string UniqueId, byte[] Payload, DareContentMeta Meta, long Index);

/// <summary>
/// A DARE catalog (draft-hallambaker-mesh-dare §Catalog): a set of entries, each distinguished by
/// its UniqueId, kept as an append-only Merkle sequence. Every frame after frame 0 is one operation
/// named in ContentMeta.Event; each identifier follows (New Update* Delete)*. Update and Delete
/// frames carry First (the frame of the New) and Previous (the last frame of the same entry), so a
/// reader can walk an entry's history without replaying the whole sequence.
/// </summary>
public sealed class DareCatalog
{
    readonly Dictionary<string, DareCatalogEntry> live = new(StringComparer.Ordinal);
    readonly IDareSigner? apexSigner;

    DareCatalog(DareSequence sequence, IDareSigner? apexSigner)
    {
        Sequence = sequence;
        this.apexSigner = apexSigner;
    }

    /// <summary>The underlying sequence (its Merkle frontier and bytes).</summary>
    public DareSequence Sequence { get; }

    /// <summary>Entries present now (added and not deleted since).</summary>
    public IReadOnlyCollection<DareCatalogEntry> Entries => live.Values;

    public int Count => live.Count;

    public byte[] ToArray() => Sequence.ToArray();

    public bool TryGet(string uniqueId, out DareCatalogEntry entry) => live.TryGetValue(uniqueId, out entry!);

    public DareCatalogEntry Get(string uniqueId) =>
        live.TryGetValue(uniqueId, out var entry) ? entry : throw new MeshFormatException($"catalog has no entry '{uniqueId}'");

    /// <summary>Starts an empty catalog (frame 0 of a Merkle sequence). The apex of every later frame is signed when a signer is given.</summary>
    public static DareCatalog Create(IDareSigner? apexSigner = null) => new(DareSequence.Create(DareSequenceType.Merkle), apexSigner);

    /// <summary>
    /// Reads a catalog: checks the sequence (digests, apex, positions), then replays every frame
    /// to the current set. A frame that breaks the state machine is a <see cref="MeshFormatException"/>.
    /// </summary>
    public static DareCatalog Open(ReadOnlySpan<byte> bytes, IDareSigner? apexSigner = null)
    {
        var sequence = DareSequence.Open(bytes, out var frames);
        var catalog = new DareCatalog(sequence, apexSigner);
        foreach (var frame in frames.Skip(1))
        {
            var meta = frame.Header.ContentMetaData is { } data
                ? DareContentMeta.FromJson(data)
                : throw new MeshFormatException($"catalog frame {frame.Index} has no ContentMetaData");
            catalog.Apply(meta, frame.Payload, frame.Index);
        }
        return catalog;
    }

    /// <summary>Adds an entry whose identifier is not present (never used, or deleted).</summary>
    public DareCatalogEntry New(string uniqueId, byte[] payload, DareContentMeta? meta = null) =>
        Write(DareCatalogEvent.New, uniqueId, payload, meta);

    /// <summary>Replaces the data of a present entry; the identifier stays.</summary>
    public DareCatalogEntry Update(string uniqueId, byte[] payload, DareContentMeta? meta = null) =>
        Write(DareCatalogEvent.Update, uniqueId, payload, meta);

    /// <summary>Removes a present entry (a frame with an empty payload).</summary>
    public void Delete(string uniqueId) => Write(DareCatalogEvent.Delete, uniqueId, [], null);

    DareCatalogEntry Write(string operation, string uniqueId, byte[] payload, DareContentMeta? given)
    {
        if (string.IsNullOrEmpty(uniqueId)) throw new MeshFormatException("a catalog entry needs a UniqueId");
        var meta = given ?? new DareContentMeta();
        meta.UniqueId = uniqueId;
        meta.Event = operation;
        live.TryGetValue(uniqueId, out var before);
        Check(operation, uniqueId, before);
        (meta.First, meta.Previous) = operation == DareCatalogEvent.New ? ((long?)null, (long?)null) : (before!.Meta.First ?? before.Index, before.Index);
        var index = Sequence.Count;
        Sequence.Append(payload, meta.ToJson(), apexSigner);
        return Apply(meta, payload, index)!;
    }

    DareCatalogEntry? Apply(DareContentMeta meta, byte[] payload, long index)
    {
        var id = meta.UniqueId;
        if (string.IsNullOrEmpty(id)) throw new MeshFormatException($"catalog frame {index} has no UniqueId");
        var operation = meta.Event == DareCatalogEvent.Add ? DareCatalogEvent.New : meta.Event;
        live.TryGetValue(id, out var before);
        Check(operation, id, before, index);
        if (operation != DareCatalogEvent.New)
        {
            var first = before!.Meta.First ?? before.Index;
            if (meta.First is { } f && f != first)
                throw new MeshFormatException($"catalog frame {index} says entry '{id}' began at frame {f}; it began at frame {first}");
            if (meta.Previous is { } p && p != before.Index)
                throw new MeshFormatException($"catalog frame {index} says the previous value of '{id}' is frame {p}; it is frame {before.Index}");
        }
        if (operation == DareCatalogEvent.Delete)
        {
            live.Remove(id);
            return null;
        }
        var entry = new DareCatalogEntry(id, payload, meta, index);
        live[id] = entry;
        return entry;
    }

    /// <summary>The state machine: New needs an absent entry, Update and Delete a present one.</summary>
    static void Check(string? operation, string id, DareCatalogEntry? before, long? frame = null)
    {
        var where = frame is { } i ? $"catalog frame {i}: " : "";
        switch (operation)
        {
            case DareCatalogEvent.New when before is not null:
                throw new MeshFormatException($"{where}cannot add '{id}': the catalog already holds it (frame {before.Index})");
            case DareCatalogEvent.Update or DareCatalogEvent.Delete when before is null:
                throw new MeshFormatException($"{where}cannot {operation!.ToLowerInvariant()} '{id}': the catalog does not hold it");
            case DareCatalogEvent.New or DareCatalogEvent.Update or DareCatalogEvent.Delete:
                return;
            default:
                throw new MeshFormatException($"{where}unknown catalog event '{operation}' for '{id}' (expected New, Update or Delete)");
        }
    }
}
