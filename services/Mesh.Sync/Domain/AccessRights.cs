using System.Text.Json;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Core.Udf;
using Mesh.Sync.Storage;

namespace Mesh.Sync.Domain;

[Flags]
public enum StoreRights
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>
/// A device's rights on its account's stores, from the Access catalog (ADR 0005 "Rights"): the
/// present CatalogedAccess entries whose AccessCapability.Udf names the device grant what their
/// Rights list ("Store:Read", "Store:Write", "Store:*", "*:Read", "*:Write", "*"); a device with
/// no entry has full rights. An inactive capability still counts as an entry and grants nothing.
/// </summary>
public sealed class AccessRights
{
    public const string AccessStore = "Access";
    const string ReadRight = "Read";
    const string WriteRight = "Write";
    const string Any = "*";

    readonly StoreRights everywhere;
    readonly Dictionary<string, StoreRights> perStore;

    AccessRights(StoreRights everywhere, Dictionary<string, StoreRights> perStore)
    {
        this.everywhere = everywhere;
        this.perStore = perStore;
    }

    public static AccessRights Full { get; } = new(StoreRights.ReadWrite, []);

    public StoreRights On(string store) => everywhere | perStore.GetValueOrDefault(store);

    /// <summary>What a device's active capabilities grant, from their Rights lists.</summary>
    internal static AccessRights Granted(IEnumerable<string> rights)
    {
        var everywhere = StoreRights.None;
        var perStore = new Dictionary<string, StoreRights>(StringComparer.Ordinal);
        foreach (var right in rights)
        {
            if (right == Any)
            {
                everywhere = StoreRights.ReadWrite;
                continue;
            }
            var colon = right.LastIndexOf(':');
            if (colon <= 0) continue;
            var granted = right[(colon + 1)..] switch { ReadRight => StoreRights.Read, WriteRight => StoreRights.Write, Any => StoreRights.ReadWrite, _ => StoreRights.None };
            var store = right[..colon];
            if (store == Any) everywhere |= granted;
            else if (StoreNames.Canonical(store) is { } name) perStore[name] = perStore.GetValueOrDefault(name) | granted;
        }
        return new AccessRights(everywhere, perStore);
    }

    /// <summary>
    /// The Access store takes only entries the service can read and the account's administration
    /// key signed: a plaintext envelope with a valid signature by an apex key (the
    /// AdministratorSignature key), whose payload is empty (frame 0, Delete) or a CatalogedAccess.
    /// </summary>
    public static void CheckEntry(Enveloped envelope, Func<string, IDareVerifier?> administratorKey)
    {
        DareEnvelope decoded;
        try
        {
            decoded = DareEnvelope.Decode(EnvelopeCodec.ToBytes(envelope));
        }
        catch (MeshException e)
        {
            throw Reject($"an Access entry is not a DARE envelope: {e.Message}");
        }
        if (decoded.IsEncrypted) throw Reject("an Access entry is encrypted; the service must read the access policy");
        var verification = decoded.Verify(s => s.KeyIdentifier is { } kid ? administratorKey(kid) : null);
        if (!verification.IsValid || verification.Signatures.Count == 0)
            throw Reject($"an Access entry must be signed by the account's administration key: {verification.Problem}");
        if (decoded.Payload.Length > 0 && ReadEntry(envelope).Access is null)
            throw Reject("an Access entry holds something other than a CatalogedAccess");
    }

    internal static (DareContentMeta? Meta, CatalogedAccess? Access) ReadEntry(Enveloped envelope)
    {
        try
        {
            var header = DareHeader.Read(envelope.Header);
            var meta = header.ContentMetaData is { } data ? DareContentMeta.FromJson(data) : null;
            var access = envelope.Payload is { Length: > 0 } payload ? MeshJson.Deserialize<MeshItem>(payload) as CatalogedAccess : null;
            return (meta, access);
        }
        catch (Exception e) when (e is MeshException or JsonException or InvalidCastException or InvalidOperationException or NotSupportedException)
        {
            return (null, null);
        }
    }

    static SyncRequestException Reject(string problem) => new(MeshStatus.Forbidden, problem);
}

/// <summary>
/// The Access catalog as of one entry count: its present CatalogedAccess entries (what Deletes left),
/// parsed once. Entries 0..count-1 of a store never change, so one policy serves every request made
/// while the store stays at that count (<see cref="AccessPolicyCache"/>).
/// </summary>
public sealed class AccessPolicy
{
    // Each present capability with the canonical form of the device UDF it names.
    readonly IReadOnlyList<(string Device, AccessCapability Capability)> capabilities;

    AccessPolicy(IReadOnlyList<(string, AccessCapability)> capabilities) => this.capabilities = capabilities;

    /// <summary>The policy of the stored Access entries, in index order.</summary>
    public static AccessPolicy Read(IEnumerable<byte[]> storedEnvelopes)
    {
        var present = new Dictionary<string, CatalogedAccess>(StringComparer.Ordinal);
        var position = 0;
        foreach (var stored in storedEnvelopes)
        {
            var (meta, access) = AccessRights.ReadEntry(EnvelopeCodec.FromBytes(stored));
            var id = meta?.UniqueId ?? access?.Uid ?? $"#{position}";
            position++;
            if (meta?.Event == DareCatalogEvent.Delete) present.Remove(id);
            else if (access is not null) present[id] = access;
        }
        return new AccessPolicy(present.Values.Select(a => a.Capability).OfType<AccessCapability>()
            .Where(c => c.Udf is not null).Select(c => (Udf.Canonical(c.Udf!), c)).ToList());
    }

    /// <summary>The rights of <paramref name="deviceUdf"/>: full when no entry names it.</summary>
    public AccessRights RightsOf(string deviceUdf)
    {
        var device = Udf.Canonical(deviceUdf);
        var entries = capabilities.Where(c => c.Device == device).Select(c => c.Capability).ToList();
        return entries.Count == 0 ? AccessRights.Full : AccessRights.Granted(entries.Where(c => c.Active != false).SelectMany(c => c.Rights ?? []));
    }
}

/// <summary>The account checks every sync transaction makes: the stores are the principal's account, and its rights on them.</summary>
public static class AccountAccess
{
    /// <summary>The caller's account must have stores here (404 otherwise), all of them for the caller's account UDF (403 otherwise).</summary>
    public static void RequireAccount(SyncCaller caller, IReadOnlyCollection<StoreRow> stores)
    {
        if (stores.Count == 0)
            throw new SyncRequestException(MeshStatus.NotFound, $"account '{caller.AccountAddress}' has no stores at this service (not bound)");
        if (stores.FirstOrDefault(s => s.AccountUdf != caller.AccountUdf) is { } other)
            throw new SyncRequestException(MeshStatus.Forbidden,
                $"the stores of '{caller.AccountAddress}' belong to account {(other.AccountUdf.Length == 0 ? "(unrecorded)" : other.AccountUdf)}, not to {caller.AccountUdf}");
    }
}
