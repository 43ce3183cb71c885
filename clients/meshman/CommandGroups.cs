using System.CommandLine;

namespace Meshman;

/// <summary>The top-level command groups, one per file under Commands/.</summary>
internal static class CommandGroups
{
    public static IEnumerable<Command> All(CliContext context)
    {
        yield break;
    }
}
