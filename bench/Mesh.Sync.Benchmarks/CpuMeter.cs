using System.Diagnostics;
using System.Globalization;

namespace Mesh.Sync.Benchmarks;

/// <summary>
/// CPU time (user + system) spent so far by the processes of the run, read from /proc: this client,
/// the gateway, account and sync services (./mesh up's pid files) and PostgreSQL (the postmaster, its
/// live children — the backends — and the children it has reaped). Differences between two readings
/// say where a trial's CPU went.
/// </summary>
public sealed class CpuMeter(string? pidDirectory, int? postmasterPid)
{
    /// <summary>USER_HZ: the unit of the times in /proc/PID/stat on Linux.</summary>
    const double TicksPerSecond = 100;

    public static readonly string[] Names = ["client", "gateway", "account", "sync", "PostgreSQL"];

    /// <summary>Seconds of CPU per process name; a process that cannot be read is left out.</summary>
    public Dictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        using (var self = Process.GetCurrentProcess()) seconds["client"] = self.TotalProcessorTime.TotalSeconds;
        if (pidDirectory is not null)
        {
            foreach (var name in new[] { "gateway", "account", "sync" })
            {
                var file = Path.Combine(pidDirectory, name + ".pid");
                if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && Stat(pid) is { } stat)
                    seconds[name] = (stat.User + stat.System) / TicksPerSecond;
            }
        }
        if (postmasterPid is { } postmaster && Stat(postmaster) is { } main)
        {
            var ticks = main.User + main.System + main.ChildrenUser + main.ChildrenSystem;
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmaster) continue;
                if (Stat(pid) is { } child && child.Parent == postmaster) ticks += child.User + child.System;
            }
            seconds["PostgreSQL"] = ticks / TicksPerSecond;
        }
        return seconds;
    }

    sealed record ProcStat(int Parent, long User, long System, long ChildrenUser, long ChildrenSystem);

    static ProcStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // pid (comm) state ppid ... utime(14) stime(15) cutime(16) cstime(17): comm may hold spaces, so count after ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return new ProcStat((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }
}
