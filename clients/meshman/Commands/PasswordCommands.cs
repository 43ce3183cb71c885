using System.CommandLine;
using Mesh.Client;
using Mesh.Client.Accounts;
using Mesh.Core.Schema;

namespace Meshman.Commands;

/// <summary>
/// <c>password add|get|list</c>: the Credential catalog, encrypted end to end under the account
/// encryption key. <c>add</c> keeps the entry on this device (pending) and uploads it at once when
/// the account is bound; <c>get</c> and <c>list</c> read this device's copy (run <c>account sync</c>
/// first to see what other devices added).
/// </summary>
internal static class PasswordCommands
{
    public static Command Build(CliContext context)
    {
        var password = new Command("password", "Credentials (site, username, password) shared by the account's devices");
        password.Subcommands.Add(Add(context));
        password.Subcommands.Add(Get(context));
        password.Subcommands.Add(List(context));
        return password;
    }

    /// <summary>How a credential is printed: <c>alice1@ftp.example.com = [secret]</c>.</summary>
    public static string Format(CatalogedCredential credential) => $"{credential.Username}@{credential.Service} = [{credential.Password}]";

    static Command Add(CliContext context)
    {
        var site = new Argument<string>("SITE") { Description = "The site or service, e.g. ftp.example.com" };
        var user = new Argument<string>("USER") { Description = "The username" };
        var secret = new Argument<string>("PASSWORD") { Description = "The password" };
        var selection = new AccountSelection();
        var command = new Command("add", "Add a credential and upload it to the account's service") { site, user, secret };
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                var credential = account.Credentials.Add(result.GetValue(site)!, result.GetValue(user)!, result.GetValue(secret)!);
                if (account.Binding is null)
                {
                    context.Output.WriteLine($"Saved {credential.Username}@{credential.Service} on this device only (the account is not bound at a service)");
                    return;
                }
                try
                {
                    var sync = SyncDisplay.Run(context, progress => new AccountService(context.Services).SyncAsync(state, account, progress));
                    context.Output.WriteLine($"Saved {credential.Username}@{credential.Service}; {sync.Summary}");
                }
                catch (MeshClientException e)
                {
                    throw new MeshClientException($"saved {credential.Username}@{credential.Service} on this device, not uploaded yet ('account sync' retries): {e.Message}", e);
                }
            }
        }));
        return command;
    }

    static Command Get(CliContext context)
    {
        var site = new Argument<string>("SITE") { Description = "The site or service, e.g. ftp.example.com" };
        var selection = new AccountSelection();
        var command = new Command("get", "Print the credentials held for a site") { site };
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                var found = account.Credentials.Get(result.GetValue(site)!);
                if (found.Count == 0) throw new MeshClientException($"no credential for {result.GetValue(site)} on this device (run 'meshman account sync' to fetch new ones)");
                foreach (var credential in found) context.Output.WriteLine(Format(credential));
            }
        }));
        return command;
    }

    static Command List(CliContext context)
    {
        var selection = new AccountSelection();
        var command = new Command("list", "Print every credential held on this device");
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                foreach (var credential in account.Credentials.List()) context.Output.WriteLine(Format(credential));
            }
        }));
        return command;
    }
}
