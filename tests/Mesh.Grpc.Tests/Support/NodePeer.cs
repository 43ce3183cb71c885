using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Mesh.Grpc.Tests.Support;

/// <summary>Runs tests/Mesh.Grpc.Tests/interop/peer.js (grpc-js), installing its locked packages on first use.</summary>
public static class NodePeer
{
    static readonly SemaphoreSlim InstallLock = new(1, 1);

    /// <summary>The interop folder in the source tree, found by walking up from the test binaries.</summary>
    public static string Directory { get; } = FindInteropDirectory();

    static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Mesh.Grpc.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "peer.js"))) return candidate;
            candidate = Path.Combine(dir.FullName, "interop");
            if (File.Exists(Path.Combine(candidate, "peer.js")) && File.Exists(Path.Combine(dir.FullName, "Mesh.Grpc.Tests.csproj"))) return candidate;
        }
        throw new InvalidOperationException($"interop/peer.js was not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>npm ci from package-lock.json when node_modules is missing (a fresh checkout or CI machine).</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Directory, "node_modules", "@grpc", "grpc-js", "package.json"))) return;
            var (exitCode, output) = await RunToEndAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            if (exitCode != 0) throw new InvalidOperationException($"npm ci failed in {Directory} (exit {exitCode}):\n{output}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs one client scenario against a gRPC server and returns the JSON line it prints.</summary>
    public static async Task<JsonElement> RunClientAsync(Uri server, string scenario)
    {
        await EnsureInstalledAsync();
        var (exitCode, output) = await RunToEndAsync("node", ["peer.js", "client", $"{server.Host}:{server.Port}", scenario], TimeSpan.FromSeconds(60));
        if (exitCode != 0) throw new InvalidOperationException($"peer.js client {scenario} failed (exit {exitCode}):\n{output}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last(l => l.StartsWith('{'));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    static async Task<(int ExitCode, string Output)> RunToEndAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Process.Start(StartInfo(fileName, arguments))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts peer.js as a gRPC server; the returned handle kills it on dispose.</summary>
    public static async Task<NodePeerServer> StartServerAsync()
    {
        await EnsureInstalledAsync();
        var process = Process.Start(StartInfo("node", ["peer.js", "server"]))!;
        var server = new NodePeerServer(process);
        await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        return server;
    }
}

/// <summary>A running grpc-js server: its address and the JSON events it reports.</summary>
public sealed class NodePeerServer : IAsyncDisposable
{
    readonly Process process;
    readonly TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly BlockingCollection<JsonElement> events = [];
    readonly ConcurrentQueue<string> stderr = new();

    internal NodePeerServer(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; private set; } = null!;

    void OnLine(string? line)
    {
        if (line is null) return;
        if (line.StartsWith("LISTENING ", StringComparison.Ordinal)) listening.TrySetResult(int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        else if (line.StartsWith('{')) events.Add(JsonDocument.Parse(line).RootElement.Clone());
    }

    internal async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(timeout));
        if (first != listening.Task)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"peer.js server did not start: {string.Join('\n', stderr)}");
        }
        Address = new Uri($"http://127.0.0.1:{listening.Task.Result}");
    }

    /// <summary>The next event named <paramref name="name"/>, skipping others; null if none comes within the wait.</summary>
    public JsonElement? WaitForEvent(string name, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < until)
        {
            if (events.TryTake(out var e, until - DateTime.UtcNow) && e.GetProperty("event").GetString() == name) return e;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Closing stdin asks the peer to exit; kill it if it does not.
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        events.Dispose();
    }
}
