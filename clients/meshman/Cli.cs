using System.CommandLine;
using Mesh.Client.Sync;

namespace Meshman;

/// <summary>The meshman command tree; tests run it in-process with their own writers and connector.</summary>
public static class Cli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("meshman: the Mathematical Mesh command-line tool");
        foreach (var group in CommandGroups.All(context))
        {
            root.Subcommands.Add(group);
        }
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(args, new CliContext(output, error));

    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error });
    }
}

/// <summary>
/// Where commands write (one-line errors go to <see cref="Error"/>) and how they reach services.
/// <see cref="Interactive"/> turns on the live progress display of long syncs.
/// </summary>
public sealed record CliContext(TextWriter Output, TextWriter Error, IMeshConnector? Connector = null, bool Interactive = false)
{
    /// <summary>The connector the commands use: the one given, else DARE over HTTP (<see cref="ServiceConnectors.Default"/>).</summary>
    public IMeshConnector Services => Connector ?? ServiceConnectors.Default;
}
