namespace Mesh.Core.Udf;

/// <summary>
/// UDF URIs (draft-hallambaker-mesh-udf §UDF URIs): the name form <c>udf:VALUE</c> and the
/// locator form <c>udf://domain/VALUE</c>. A locator holding an encryption key is an EARL.
/// </summary>
public sealed record UdfUri(string? Domain, string Value)
{
    /// <summary>The well-known path prefix used when DNS web service discovery finds no SRV/TXT record.</summary>
    public const string ServiceName = "mmm-udf";

    public bool IsLocator => Domain is not null;

    public static UdfUri Name(string udf)
    {
        Udf.Parse(udf);
        return new UdfUri(null, udf.Trim());
    }

    public static UdfUri Locator(string domain, string udf)
    {
        CheckDomain(domain);
        Udf.Parse(udf);
        return new UdfUri(domain.ToLowerInvariant(), udf.Trim());
    }

    public override string ToString() => Domain is null ? $"udf:{Value}" : $"udf://{Domain}/{Value}";

    /// <summary>Parses either form; the scheme is case-insensitive, query and fragment are not supported.</summary>
    public static UdfUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var text = uri.Trim();
        if (!text.StartsWith("udf:", StringComparison.OrdinalIgnoreCase))
        {
            throw new MeshFormatException($"'{uri}' is not a UDF URI (it must start with 'udf:')");
        }
        var rest = text[4..];
        if (rest.IndexOfAny(['?', '#']) >= 0)
        {
            throw new MeshFormatException($"UDF URI '{uri}' has a query or fragment, which is not supported");
        }
        if (!rest.StartsWith("//", StringComparison.Ordinal)) return Name(rest);
        var slash = rest.IndexOf('/', 2);
        if (slash < 0) throw new MeshFormatException($"UDF locator '{uri}' has no '/' between the domain and the UDF");
        return Locator(rest[2..slash], rest[(slash + 1)..]);
    }

    /// <summary>
    /// The URL from which a locator's content is fetched with GET, using the default (well-known)
    /// endpoint: <c>https://domain/.well-known/mmm-udf/IDENTIFIER</c>. The identifier is the
    /// encryption key identifier for EARLs and the UDF itself otherwise.
    /// </summary>
    public string ResolutionUrl()
    {
        if (Domain is null) throw new MeshFormatException($"'{this}' is a name, not a locator: it has no domain to resolve at");
        var value = Udf.Parse(Value);
        var identifier = value.Kind switch
        {
            UdfKind.EncryptionKey => Udf.EncryptionKeyIdentifier(Value),
            UdfKind.Share => throw new MeshFormatException("a share locator needs its shared secret recovered before resolution"),
            _ => Value.ToUpperInvariant(),
        };
        return $"https://{Domain}/.well-known/{ServiceName}/{identifier}";
    }

    static void CheckDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length == 0 || domain.Length > 253 || domain.Contains(':') || domain.Contains('@')
            || !domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            throw new MeshFormatException($"'{domain}' is not a DNS name (ports, user info and IP literals are not allowed in UDF locators)");
        }
    }
}

/// <summary>Strong Internet Names: addresses carrying an "mm--" label that is a UDF of the governing policy.</summary>
public static class StrongInternetName
{
    public const string Prefix = "mm--";

    /// <summary>A DNS label limits the UDF to 59 characters (240 bits of precision).</summary>
    public const int MaximumBits = 240;

    /// <summary>The label for <paramref name="udf"/>: "mm--" then the UDF in lower case.</summary>
    public static string Label(string udf)
    {
        var value = Udf.Parse(udf, UdfKind.ContentDigest);
        if (value.PresentedBits > MaximumBits)
        {
            throw new MeshFormatException($"a SIN label holds at most {MaximumBits} bits, '{udf}' has {value.PresentedBits}");
        }
        return Prefix + udf.Trim().ToLowerInvariant();
    }

    /// <summary>Splits an address into the plain address and the SIN fingerprint (null when it has none).</summary>
    public static (string Address, string? Udf) Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        var local = at >= 0 ? address[..(at + 1)] : "";
        var labels = (at >= 0 ? address[(at + 1)..] : address).Split('.');
        string? udf = null;
        var kept = new List<string>(labels.Length);
        foreach (var label in labels)
        {
            if (label.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                if (udf is not null) throw new MeshFormatException($"'{address}' has more than one SIN label");
                udf = label[Prefix.Length..].ToUpperInvariant();
                Udf.Parse(udf, UdfKind.ContentDigest);
            }
            else
            {
                kept.Add(label);
            }
        }
        return (local + string.Join('.', kept), udf);
    }
}
