using System.CommandLine;
using Meshman.Commands;

namespace Meshman;

/// <summary>The top-level command groups, one per file under Commands/.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All(CliContext context)
    {
        yield return HashCommands.Build(context);
        yield return KeyCommands.Build(context);
        yield return DareCommands.Build(context);
        yield return AccountCommands.Build(context);
        yield return PasswordCommands.Build(context);
    }
}
