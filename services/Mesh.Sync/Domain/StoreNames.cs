namespace Mesh.Sync.Domain;

/// <summary>The stores every account has (issue 3): its catalogs and its spools, in the order they are listed.</summary>
public static class StoreNames
{
    public const string Device = "Device";
    public const string Inbound = "Inbound";
    public const string Outbound = "Outbound";
    public const string Local = "Local";

    public static readonly IReadOnlyList<string> Catalogs =
        [Device, "Contact", "Credential", "Bookmark", "Task", "Network", "Application", "Access", "Publication"];

    public static readonly IReadOnlyList<string> Spools = [Inbound, Outbound, Local];

    public static readonly IReadOnlyList<string> All = [.. Catalogs, .. Spools];

    // The seed's examples name stores MMM_Access, MMM_Member...; the newer texts use the bare name.
    const string SeedPrefix = "MMM_";

    /// <summary>The canonical name of <paramref name="name"/> (the seed's MMM_ prefix accepted), or null when it names no store.</summary>
    public static string? Canonical(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        if (name.StartsWith(SeedPrefix, StringComparison.Ordinal)) name = name[SeedPrefix.Length..];
        foreach (var known in All)
        {
            if (string.Equals(known, name, StringComparison.Ordinal)) return known;
        }
        return null;
    }

    public static StoreKind KindOf(string canonical) => Spools.Contains(canonical) ? StoreKind.Spool : StoreKind.Catalog;
}

public enum StoreKind
{
    Catalog,
    Spool,
}
