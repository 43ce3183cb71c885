using Mesh.Core;

namespace Meshman.Commands;

/// <summary>Runs a command body so that every expected failure is one line on stderr and exit code 1.</summary>
internal static class CommandRunner
{
    public static int Run(CliContext context, Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (Exception e) when (e is MeshException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"meshman: {e.Message}");
            return 1;
        }
    }
}
