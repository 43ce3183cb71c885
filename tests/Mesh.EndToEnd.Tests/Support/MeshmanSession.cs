using Mesh.Client.Sync;
using Meshman;

namespace Mesh.EndToEnd.Tests.Support;

/// <summary>meshman's Cli.Run against a stack, as one device (one home folder), with what it printed.</summary>
public sealed class MeshmanSession(IMeshConnector connector) : IDisposable
{
    public string Home { get; } = Directory.CreateTempSubdirectory("mesh-e2e-home-").FullName;

    public (int Code, string[] Lines, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run([.. args, "--home", Home], new CliContext(output, error, connector));
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error.ToString());
    }

    /// <summary>Runs a command that takes no --home (account hello).</summary>
    public (int Code, string[] Lines, string Error) RunWithoutHome(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, new CliContext(output, error, connector));
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error.ToString());
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
