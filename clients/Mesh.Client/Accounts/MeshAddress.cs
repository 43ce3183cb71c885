namespace Mesh.Client.Accounts;

/// <summary>Account addresses (RFC 5322 style user@domain), restricted so they also name a folder safely.</summary>
public static class MeshAddress
{
    /// <summary>The address in lower case; refuses anything but letters, digits and <c>. _ + -</c> around one '@'.</summary>
    public static string Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) throw new MeshClientException("an account address is required (user@domain)");
        var at = address.IndexOf('@');
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1)
            throw new MeshClientException($"'{address}' is not an account address (user@domain)");
        foreach (var c in address)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '@'))
                throw new MeshClientException($"'{address}' contains '{c}', which an account address may not hold");
        }
        var domain = address[(at + 1)..];
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..") || address[..at].StartsWith('.'))
            throw new MeshClientException($"'{address}' has an empty label");
        return address.ToLowerInvariant();
    }

    /// <summary>The service domain of an address.</summary>
    public static string Domain(string address) => Parse(address)[(address.IndexOf('@') + 1)..];
}
