using Mesh.Client.Accounts;
using Mesh.Core.Schema;

namespace Mesh.Client.Catalogs;

/// <summary>
/// The Credential catalog (meshman <c>password add|get</c>): CatalogedCredential entries
/// encrypted end to end under the account encryption key, appended to the local replica.
/// A later entry for the same service and username replaces the earlier one.
/// </summary>
public sealed class CredentialCatalog
{
    readonly MeshAccount account;

    internal CredentialCatalog(MeshAccount account) => this.account = account;

    public CatalogedCredential Add(string service, string username, string password, string? protocol = null)
    {
        if (string.IsNullOrWhiteSpace(service)) throw new MeshClientException("a credential needs a service name");
        if (string.IsNullOrEmpty(username)) throw new MeshClientException("a credential needs a username");
        ArgumentNullException.ThrowIfNull(password);
        var entry = new CatalogedCredential
        {
            Uid = Mesh.Core.Udf.Udf.Nonce(),
            Service = service,
            Username = username,
            Password = password,
            Protocol = protocol,
        };
        account.AppendToCatalog(MeshAccount.CredentialStore, entry);
        return entry;
    }

    /// <summary>Current credentials for <paramref name="service"/> (one per username), or none.</summary>
    public IReadOnlyList<CatalogedCredential> Get(string service) =>
        List().Where(c => string.Equals(c.Service, service, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Every current credential, ordered by service then username.</summary>
    public IReadOnlyList<CatalogedCredential> List()
    {
        var current = new Dictionary<(string, string), CatalogedCredential>();
        foreach (var entry in account.ReadCatalog<CatalogedCredential>(MeshAccount.CredentialStore))
        {
            current[((entry.Service ?? "").ToLowerInvariant(), entry.Username ?? "")] = entry;
        }
        return current.Values.OrderBy(c => c.Service, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Username, StringComparer.Ordinal).ToList();
    }
}
