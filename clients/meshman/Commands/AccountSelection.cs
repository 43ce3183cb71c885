using System.CommandLine;
using Mesh.Client;
using Mesh.Client.Accounts;
using Mesh.Client.State;

namespace Meshman.Commands;

/// <summary>The --home and --account options every account command shares, and opening what they name.</summary>
internal sealed class AccountSelection
{
    public Option<string?> Home { get; } = new("--home") { Description = $"Device state folder (default: ${MeshHome.EnvironmentVariable}, else ~/.mesh)" };

    public Option<string?> Account { get; } = new("--account") { Description = "The account to act on (default: the only account in the home)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Home);
        command.Options.Add(Account);
    }

    /// <summary>Opens the home and the account --account names, or the only one it holds.</summary>
    public (MeshHome Home, MeshAccount Account) Open(ParseResult result)
    {
        var home = MeshHome.Open(result.GetValue(Home));
        try
        {
            var address = result.GetValue(Account) ?? home.Accounts.Count switch
            {
                0 => throw new MeshClientException($"no account in {home.Directory}; create one with 'meshman account create ADDRESS'"),
                1 => home.Accounts[0],
                _ => throw new MeshClientException($"{home.Directory} holds several accounts ({string.Join(", ", home.Accounts)}); name one with --account"),
            };
            return (home, home.OpenAccount(address));
        }
        catch
        {
            home.Dispose();
            throw;
        }
    }
}
