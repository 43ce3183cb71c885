using Mesh.Client.Sync;
using Mesh.Core.Protocol;

namespace Mesh.EndToEnd.Tests.Support;

/// <summary>
/// What the meshman tests against one <see cref="ProcessStack"/> share: devices (home folders) that
/// reach its gateway, copies of them, and the checks on what meshman printed.
/// </summary>
public abstract class MeshmanDevices(ProcessStack stack) : IDisposable
{
    readonly List<MeshmanSession> sessions = [];

    protected ProcessStack Stack { get; } = stack;

    protected HttpClient Http { get; } = stack.HttpClient();

    /// <summary>The gateway's DARE-over-HTTP connector, requests encoded as <paramref name="encoding"/> (json, json-b, json-c).</summary>
    protected IMeshConnector Connector(string encoding = "json") => new HttpMeshConnector(Http, MeshMediaType.FromName(encoding));

    protected MeshmanSession Device(string encoding = "json") => Device(Connector(encoding));

    protected MeshmanSession Device(IMeshConnector connector)
    {
        var session = new MeshmanSession(connector);
        sessions.Add(session);
        return session;
    }

    protected MeshmanSession Copy(MeshmanSession device, IMeshConnector? connector = null)
    {
        var copy = device.CopyDevice(connector);
        sessions.Add(copy);
        return copy;
    }

    protected static string NewAddress(string name) => $"{name}{Guid.NewGuid():N}"[..20] + "@example.com";

    /// <summary>The lines printed by a run that must succeed.</summary>
    protected static string[] Ok((int Code, string[] Lines, string Error) run)
    {
        Assert.True(run.Code == 0, run.Error);
        return run.Lines;
    }

    /// <summary>The one line a failing run printed: on stderr, starting 'meshman: ', without a stack trace.</summary>
    protected static string OneLineError((int Code, string[] Lines, string Error) run)
    {
        Assert.NotEqual(0, run.Code);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("meshman: ", line);
        Assert.DoesNotContain("   at ", run.Error);
        return line;
    }

    protected static string Line(string[] lines, string prefix) => Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));

    public void Dispose()
    {
        foreach (var session in sessions) session.Dispose();
        Http.Dispose();
        GC.SuppressFinalize(this);
    }
}
