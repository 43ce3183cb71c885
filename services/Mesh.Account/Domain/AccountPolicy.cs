using Mesh.Core.Schema;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Account.Domain;

/// <summary>What UnbindAccount does with the address once the account's stores are gone.</summary>
public enum UnbindPolicy
{
    /// <summary>The address is never bound again (the default: nobody inherits mail meant for the old account).</summary>
    Retire,
    /// <summary>The address can be bound again, by anyone.</summary>
    Free,
}

/// <summary>
/// The account address rules: the PolicyAccount Hello advertises (length and characters of the
/// local part) and the domains this service binds accounts for, both enforced by BindAccount.
/// </summary>
public sealed class AccountPolicy
{
    /// <summary>Local part: 1 to 64 characters (RFC 5321 §4.5.3.1.1).</summary>
    public const int Minimum = 1;
    public const int Maximum = 64;

    /// <summary>Characters that separate or quote address parts.</summary>
    public const string InvalidCharacters = "@ \"(),:;<>[\\]";

    public AccountPolicy(IEnumerable<string> domains, UnbindPolicy unbind)
    {
        Domains = domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).ToHashSet(StringComparer.Ordinal);
        Unbind = unbind;
    }

    public IReadOnlySet<string> Domains { get; }

    public UnbindPolicy Unbind { get; }

    public static PolicyAccount Advertised => new() { Minimum = Minimum, Maximum = Maximum, InvalidCharacters = InvalidCharacters };

    public static AccountPolicy FromConfiguration(IConfiguration configuration)
    {
        var domains = (configuration[ConfigKeys.AccountDomains] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var policy = configuration[ConfigKeys.AccountUnbindPolicy];
        var unbind = string.IsNullOrWhiteSpace(policy) ? UnbindPolicy.Retire
            : Enum.TryParse<UnbindPolicy>(policy, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
            : throw new MeshConfigurationException($"Configuration '{ConfigKeys.AccountUnbindPolicy}' = '{policy}' is neither Free nor Retire.");
        return new AccountPolicy(domains, unbind);
    }

    /// <summary>The canonical (lower-case) form of an address that satisfies the policy; otherwise a 400 naming the rule broken.</summary>
    public string Check(string? address)
    {
        if (string.IsNullOrEmpty(address)) throw Refuse("BindRequest has no AccountAddress");
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1) throw Refuse($"'{address}' is not an account address (name@domain)");
        var local = address[..at];
        var domain = address[(at + 1)..].ToLowerInvariant();
        if (local.Length < Minimum) throw Refuse($"the name of '{address}' is shorter than {Minimum} characters");
        if (local.Length > Maximum) throw Refuse($"the name of '{address}' is {local.Length} characters long; the limit is {Maximum}");
        var invalid = local.IndexOfAny(InvalidCharacters.ToCharArray());
        if (invalid >= 0) throw Refuse($"the name of '{address}' contains '{local[invalid]}', a character accounts cannot use ({InvalidCharacters})");
        if (local.Any(char.IsControl)) throw Refuse($"the name of '{address}' contains a control character");
        if (!Domains.Contains(domain))
            throw Refuse(Domains.Count == 0
                ? $"this service binds no accounts ({ConfigKeys.AccountDomains} is empty)"
                : $"this service does not serve the domain '{domain}' (it serves {string.Join(", ", Domains.Order())})");
        return $"{local.ToLowerInvariant()}@{domain}";
    }

    static AccountRequestException Refuse(string description) => new(AccountStatus.BadRequest, description);
}
