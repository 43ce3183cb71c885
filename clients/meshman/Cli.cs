using System.CommandLine;

namespace Meshman;

/// <summary>The meshman command tree; tests run it in-process with their own writers.</summary>
public static class Cli
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("meshman: the Mathematical Mesh command-line tool");
        var context = new CliContext(output, error);
        foreach (var group in CommandGroups.All(context))
        {
            root.Subcommands.Add(group);
        }
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>Where commands write; one-line errors go to <see cref="Error"/>.</summary>
public sealed record CliContext(TextWriter Output, TextWriter Error);
