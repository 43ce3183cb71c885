using System.CommandLine;
using Mesh.Client;
using Mesh.Client.Discovery;
using Mesh.Client.State;
using Mesh.Client.Transport;

namespace Meshman.Commands;

/// <summary>
/// <c>account hello|create|list|export-seed</c>: contact a service, create an account on this
/// device (state under --home DIR, else MESH_HOME, else ~/.mesh).
/// </summary>
internal static class AccountCommands
{
    public const string LocalOnlyNotice =
        "Created locally only: the account is not yet bound at a service (BindAccount is not available yet).";

    public static Command Build(CliContext context)
    {
        var account = new Command("account", "Mesh accounts: contact a service, create and list accounts on this device");
        account.Subcommands.Add(Hello(context));
        account.Subcommands.Add(Create(context));
        account.Subcommands.Add(List(context));
        account.Subcommands.Add(ExportSeed(context));
        return account;
    }

    static Option<string?> HomeOption() => new("--home") { Description = $"Device state folder (default: ${MeshHome.EnvironmentVariable}, else ~/.mesh)" };

    static Command Hello(CliContext context)
    {
        var target = new Argument<string>("DOMAIN|URL") { Description = "A domain or account address (found by DNS SRV _mmm._tcp) or the service URL" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the service (default 10)", DefaultValueFactory = _ => 10 };
        var command = new Command("hello", "Ask a Mesh service for its version, encodings and profiles") { target, timeout };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var hello = HelloAsync(result.GetValue(target)!, TimeSpan.FromSeconds(result.GetValue(timeout))).GetAwaiter().GetResult();
            context.Output.WriteLine($"MeshService {hello.Version}");
            context.Output.WriteLine($"   Encodings = {string.Join(", ", hello.Encodings)}");
            context.Output.WriteLine($"   Service UDF = {hello.ServiceUdf}");
            context.Output.WriteLine($"   Host UDF = {hello.HostUdf}");
        }));
        return command;
    }

    /// <summary>Tries each endpoint discovery gives, in order, until one answers.</summary>
    static async Task<HelloResult> HelloAsync(string target, TimeSpan timeout)
    {
        var endpoints = await ServiceLocator.System().LocateAsync(target);
        using var http = new HttpClient { Timeout = timeout };
        MeshServiceException? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return await new MeshServiceClient(http, endpoint).HelloAsync();
            }
            catch (MeshServiceException e) when (e.Status is null)
            {
                last = e;
            }
        }
        throw last!;
    }

    static Command Create(CliContext context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The account address, e.g. alice@example.com" };
        var service = new Option<string?>("--service") { Description = "Service URL or domain: its Hello gives the ServiceUdf written in the profile" };
        var seed = new Option<string?>("--seed") { Description = "Recreate the account from a seed printed by 'account export-seed'" };
        var home = HomeOption();
        var command = new Command("create", "Create an account and make this device its administrator") { address, service, seed, home };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var serviceUdf = result.GetValue(service) is { } s ? HelloAsync(s, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult().ServiceUdf : null;
            using var state = MeshHome.Open(result.GetValue(home));
            using var account = state.CreateAccount(result.GetValue(address)!, serviceUdf, result.GetValue(seed));
            context.Output.WriteLine($"Account={account.Address}");
            context.Output.WriteLine($"UDF={account.ProfileUdf}");
            context.Output.WriteLine($"Device UDF={state.DeviceUdf}");
            if (serviceUdf is not null) context.Output.WriteLine($"Service UDF={serviceUdf}");
            context.Output.WriteLine(LocalOnlyNotice);
        }));
        return command;
    }

    static Command List(CliContext context)
    {
        var home = HomeOption();
        var command = new Command("list", "List the accounts held on this device") { home };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var state = MeshHome.Open(result.GetValue(home));
            foreach (var address in state.Accounts)
            {
                using var account = state.OpenAccount(address);
                context.Output.WriteLine($"{account.Address} UDF={account.ProfileUdf}");
            }
        }));
        return command;
    }

    static Command ExportSeed(CliContext context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The account address" };
        var home = HomeOption();
        var command = new Command("export-seed", "Print the account's secret seed (every account key derives from it): keep it offline") { address, home };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var state = MeshHome.Open(result.GetValue(home));
            using var account = state.OpenAccount(result.GetValue(address)!);
            context.Output.WriteLine(account.ExportSeed());
        }));
        return command;
    }
}
