using Mesh.Client.Sync;
using Mesh.Client.Tests.Support;
using Meshman;

namespace Mesh.EndToEnd.Tests.Support;

/// <summary>meshman's Cli.Run against a stack, as one device (one home folder), with what it printed.</summary>
public sealed class MeshmanSession(IMeshConnector connector) : IDisposable
{
    public string Home { get; private init; } = Directory.CreateTempSubdirectory("mesh-e2e-home-").FullName;

    /// <summary>A second session on a copy of this home folder: the same device on another machine (README, "a copy of the device").</summary>
    public MeshmanSession CopyDevice(IMeshConnector? other = null)
    {
        var copy = Path.Combine(Path.GetTempPath(), "mesh-e2e-copy-" + Guid.NewGuid().ToString("N"));
        HomeCopy.To(Home, copy);
        return new MeshmanSession(other ?? connector) { Home = copy };
    }

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
