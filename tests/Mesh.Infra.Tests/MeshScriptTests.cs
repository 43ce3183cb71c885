using Mesh.ServiceDefaults.Configuration;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mesh.Infra.Tests;

public sealed partial class MeshScriptTests
{
    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), $"{file} {string.Join(' ', args)} did not finish in 60 s");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Bench_with_a_name_that_has_no_script_says_so_and_exits_2()
    {
        var (exitCode, output) = Run(Repository.PathOf("mesh"), "bench", "no-such-benchmark");
        Assert.Equal(2, exitCode);
        Assert.Contains("there is no benchmark 'no-such-benchmark'", output);
    }

    [Fact]
    public void An_unknown_command_exits_2_and_prints_the_usage()
    {
        var (exitCode, output) = Run(Repository.PathOf("mesh"), "frobnicate");
        Assert.Equal(2, exitCode);
        Assert.Contains("unknown command 'frobnicate'", output);
        Assert.Contains("usage: ./mesh COMMAND", output);
    }

    [Fact]
    public void The_CI_entry_runs_mesh_test_and_nothing_else()
    {
        var commands = Repository.Read(".ci/run").Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("set ", StringComparison.Ordinal) && !l.StartsWith("cd ", StringComparison.Ordinal));
        Assert.Equal(["./mesh test"], commands);
    }

    [Fact]
    public void The_start_script_sets_only_configuration_keys_the_code_reads()
    {
        var names = ServiceEnvironmentName().Matches(StartScripts()).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name, ConfigKeyNames.EnvironmentVariables));
    }

    [Fact]
    public void The_start_script_gives_the_account_service_and_the_gateway_the_same_key_encryption_key()
    {
        // Both refuse to start without it (ConfigKeys.KeyEncryptionKey is required).
        var script = StartScripts();
        var variable = ConfigKeys.ToEnvironmentVariable(ConfigKeys.KeyEncryptionKey);
        var settings = Regex.Matches(script, Regex.Escape(variable) + "=([^\"\\s]+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, settings.Count);
        Assert.Single(settings.Distinct());
    }

    [Fact]
    public void HAProxy_accepts_the_configuration()
    {
        Assert.True(File.Exists("/usr/sbin/haproxy"), "haproxy is not installed: run ./mesh test, which installs it");
        var (exitCode, output) = Run("/usr/sbin/haproxy", "-c", "-f", Repository.PathOf("infra/haproxy/haproxy.cfg"));
        Assert.True(exitCode == 0, output);
        Assert.Contains("Configuration file is valid", output);
    }

    // up.sh starts the services; the gateway is started by lib.sh's spawn_gateway (also used by bench/hello.sh).
    static string StartScripts() => Repository.Read("infra/scripts/up.sh") + "\n" + Repository.Read("infra/scripts/lib.sh");

    // "Name__Sub=" as passed to a service by env(1) in up.sh.
    [GeneratedRegex("\"([A-Za-z]+(?:__[A-Za-z]+)+)=")]
    private static partial Regex ServiceEnvironmentName();
}
