using Mesh.Client.Accounts;

namespace Mesh.Client.Discovery;

/// <summary>
/// Finds the Mesh service endpoint of a domain (seed -09 §5, web-service-discovery): an explicit
/// URL is used as given; a domain is looked up first in the static map, then as the SRV record
/// <c>_mmm._tcp.DOMAIN</c>, giving <c>https://TARGET:PORT/.well-known/mmm</c> in RFC 2782 order.
/// </summary>
public sealed class ServiceLocator
{
    public const string ServiceName = "mmm";
    public const string WellKnownPath = "/.well-known/mmm";

    readonly IReadOnlyDictionary<string, Uri> staticMap;
    readonly Func<SrvResolver>? resolver;

    /// <param name="staticMap">domain → service URL; consulted before DNS (tests, private deployments).</param>
    /// <param name="resolver">SRV resolver, made on first use; null disables DNS.</param>
    public ServiceLocator(IReadOnlyDictionary<string, Uri>? staticMap = null, Func<SrvResolver>? resolver = null)
    {
        this.staticMap = new Dictionary<string, Uri>(staticMap ?? new Dictionary<string, Uri>(), StringComparer.OrdinalIgnoreCase);
        this.resolver = resolver;
    }

    /// <summary>A locator using the system resolver.</summary>
    public static ServiceLocator System(IReadOnlyDictionary<string, Uri>? staticMap = null) =>
        new(staticMap, () => SrvResolver.FromSystem());

    /// <summary>Endpoints to try in order for a URL, a domain or an account address.</summary>
    public async Task<IReadOnlyList<Uri>> LocateAsync(string target, CancellationToken cancellation = default)
    {
        if (string.IsNullOrWhiteSpace(target)) throw new MeshDiscoveryException("a domain, account or URL is required");
        if (target.Contains("://", StringComparison.Ordinal)) return [Endpoint(target)];
        var domain = target.Contains('@') ? MeshAddress.Domain(target) : target.Trim().TrimEnd('.').ToLowerInvariant();
        if (staticMap.TryGetValue(domain, out var mapped)) return [Endpoint(mapped.ToString())];
        if (resolver is null) throw new MeshDiscoveryException($"no service URL is configured for {domain} and DNS discovery is off");
        var name = $"_{ServiceName}._tcp.{domain}";
        var records = SrvResolver.Order(await resolver().LookupAsync(name, cancellation));
        if (records.Count == 0) throw new MeshDiscoveryException($"{domain} publishes no Mesh service ({name} SRV); give the service URL instead");
        return records.Select(r => new UriBuilder(Uri.UriSchemeHttps, r.Target.TrimEnd('.'), r.Port, WellKnownPath).Uri).ToList();
    }

    /// <summary>An explicit URL: the well-known path is added when the URL names only the host.</summary>
    public static Uri Endpoint(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new MeshDiscoveryException($"'{url}' is not an http or https URL");
        return uri.AbsolutePath is "" or "/" ? new UriBuilder(uri) { Path = WellKnownPath }.Uri : uri;
    }
}
