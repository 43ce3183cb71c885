using System.CommandLine;
using Mesh.Client;
using Mesh.Client.Accounts;
using Mesh.Client.Discovery;
using Mesh.Client.State;
using Mesh.Client.Transport;

namespace Meshman.Commands;

/// <summary>
/// <c>account hello|create|status|sync|delete|list|export-seed</c>: contact a service, create and
/// bind an account, synchronise it, delete it (state under --home DIR, else MESH_HOME, else ~/.mesh).
/// </summary>
internal static class AccountCommands
{
    public const string LocalOnlyNotice = "Created on this device only: the account is not bound at a service.";

    public static Command Build(CliContext context)
    {
        var account = new Command("account", "Mesh accounts: contact a service, create, bind, synchronise and delete accounts");
        account.Subcommands.Add(Hello(context));
        account.Subcommands.Add(Create(context));
        account.Subcommands.Add(Status(context));
        account.Subcommands.Add(Sync(context));
        account.Subcommands.Add(Delete(context));
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
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(result.GetValue(timeout)));
            HelloResult hello;
            try
            {
                (_, hello) = LocateAsync(context, result.GetValue(target)!, cancel.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException e) when (cancel.IsCancellationRequested)
            {
                throw new MeshServiceException($"{result.GetValue(target)} did not answer within {result.GetValue(timeout)} s", e);
            }
            context.Output.WriteLine($"MeshService {hello.Version}");
            context.Output.WriteLine($"   Encodings = {string.Join(", ", hello.Encodings)}");
            context.Output.WriteLine($"   Service UDF = {hello.ServiceUdf}");
            context.Output.WriteLine($"   Host UDF = {hello.HostUdf}");
        }));
        return command;
    }

    static Command Create(CliContext context)
    {
        var address = new Argument<string>("ADDRESS") { Description = "The account address, e.g. alice@example.com" };
        var service = new Option<string?>("--service") { Description = "Service URL or domain (default: DNS SRV _mmm._tcp of the address's domain)" };
        var seed = new Option<string?>("--seed") { Description = "Recreate the account from a seed printed by 'account export-seed'" };
        var local = new Option<bool>("--local") { Description = "Create the account on this device only, without binding it at a service" };
        var home = HomeOption();
        var command = new Command("create", "Create an account from a fresh seed, bind it at its service and make this device its administrator")
            { address, service, seed, local, home };
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            using var state = MeshHome.Open(result.GetValue(home));
            if (result.GetValue(local))
            {
                using var created = state.CreateAccount(result.GetValue(address)!, null, result.GetValue(seed));
                PrintCreated(context, state, created, null);
                context.Output.WriteLine(LocalOnlyNotice);
                return;
            }
            var target = result.GetValue(service) ?? result.GetValue(address)!;
            var (endpoint, _) = LocateAsync(context, target, CancellationToken.None).GetAwaiter().GetResult();
            var accounts = new AccountService(context.Services);
            using var account = accounts.CreateAsync(state, result.GetValue(address)!, endpoint, result.GetValue(seed)).GetAwaiter().GetResult();
            PrintCreated(context, state, account, account.Binding!.ServiceUdf);
            context.Output.WriteLine($"Bound at {endpoint}");
            // The Device catalog entry of this device goes up now, so a copy of the device finds it.
            var sync = accounts.SyncAsync(state, account).GetAwaiter().GetResult();
            context.Output.WriteLine($"Synchronised: {sync.Summary}");
        }));
        return command;
    }

    static void PrintCreated(CliContext context, MeshHome state, MeshAccount account, string? serviceUdf)
    {
        context.Output.WriteLine($"Account={account.Address}");
        context.Output.WriteLine($"UDF={account.ProfileUdf}");
        context.Output.WriteLine($"Device UDF={state.DeviceUdf}");
        if (serviceUdf is not null) context.Output.WriteLine($"Service UDF={serviceUdf}");
    }

    /// <summary>The first endpoint discovery gives (in order) that answers Hello, and its answer.</summary>
    static async Task<(Uri Endpoint, HelloResult Hello)> LocateAsync(CliContext context, string target, CancellationToken cancellation)
    {
        var endpoints = await ServiceLocator.System().LocateAsync(target, cancellation);
        MeshServiceException? last = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return (endpoint, await context.Services.HelloAsync(endpoint, cancellation));
            }
            catch (MeshServiceException e) when (e.Status is null)
            {
                last = e;
            }
        }
        throw last!;
    }

    static Command Status(CliContext context)
    {
        var selection = new AccountSelection();
        var command = new Command("status", "Compare each store at the service with this device's copy");
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                var status = new AccountService(context.Services).StatusAsync(state, account).GetAwaiter().GetResult();
                context.Output.WriteLine($"Account={status.Address}");
                context.Output.WriteLine($"UDF={status.ProfileUdf}");
                context.Output.WriteLine($"Service={status.Endpoint}");
                context.Output.WriteLine($"Device entry at the service: {(status.DeviceEntryAtService ? "yes" : "no (not synchronised yet)")}");
                foreach (var store in status.Stores)
                {
                    var step = store.InStep ? "in step" : "differs";
                    context.Output.WriteLine($"   {store.Store}: service {Index(store.ServiceIndex)}, device {Index(store.LocalIndex)}, {store.Pending} pending, {step}");
                }
            }
        }));
        return command;
    }

    static string Index(long? index) => index is { } i ? $"#{i}" : "empty";

    static Command Sync(CliContext context)
    {
        var selection = new AccountSelection();
        var command = new Command("sync", "Download what other devices wrote, then upload what this device wrote");
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                var accounts = new AccountService(context.Services);
                var sync = SyncDisplay.Run(context, progress => accounts.SyncAsync(state, account, progress));
                context.Output.WriteLine($"Synchronised {account.Address}: {sync.Summary}");
            }
        }));
        return command;
    }

    static Command Delete(CliContext context)
    {
        var selection = new AccountSelection();
        var command = new Command("delete", "Unbind the account at its service (its stores are removed there) and remove it from this device");
        selection.AddTo(command);
        command.SetAction(result => CommandRunner.Run(context, () =>
        {
            var (state, account) = selection.Open(result);
            using (state)
            using (account)
            {
                new AccountService(context.Services).DeleteAsync(state, account).GetAwaiter().GetResult();
                context.Output.WriteLine($"Deleted {account.Address}");
            }
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
