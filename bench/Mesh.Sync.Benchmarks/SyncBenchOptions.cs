using System.Globalization;
using Mesh.Core.Protocol;

namespace Mesh.Sync.Benchmarks;

/// <summary>Settings of one run; bench/sync.sh maps its MESH_BENCH_* variables onto these options.</summary>
public sealed record SyncBenchOptions
{
    public const string Usage = """
        usage: Mesh.Sync.Benchmarks --endpoint URL --pg CONNECTION_STRING [options]
          --endpoint URL              the gateway's /.well-known/mmm (http:// or https://)
          --cert PATH                 PEM certificate the client pins for https:// (the state folder's gateway.crt)
          --pg CONNECTION_STRING      the stack's PostgreSQL (the baseline's table goes in schema bench_sync, dropped afterwards)
          --pids DIR                  the stack's pid files (gateway.pid, account.pid, sync.pid) for peak memory and CPU time
          --pg-pid PID                the PostgreSQL postmaster, for the CPU time of PostgreSQL
          --parts LIST                which parts run: transact,auth,download (default: all three)
          --trials N                  Transact trials per concurrency (5)
          --duration SECONDS          length of one Transact trial per target (4)
          --warmup SECONDS            warm-up per target and concurrency (10)
          --concurrency LIST          concurrent clients (1,16,64)
          --profile-concurrency LIST  of those, where Profile mode is measured too (1,16; 0 for none)
          --entry-bytes N             size of the entry's plaintext (CatalogedCredential JSON) (1024)
          --pool N                    distinct entries each client cycles through (16)
          --encoding NAME             encoding of the Transact load: json, json-b (json)
          --download-entries N        entries the fresh device downloads (10000)
          --download-trials N         download trials per encoding (5)
          --download-encodings LIST   json,json-b
          --auth-trials N             trials of the in-process authentication timings (5)
          --auth-seconds SECONDS      time per operation and trial (0.5)
          --work DIR                  folder for the devices' home folders (a temporary folder, removed afterwards)
        """;

    public required Uri Endpoint { get; init; }
    public string? Certificate { get; init; }
    public required string Postgres { get; init; }
    public string? PidDirectory { get; init; }
    public int? PostmasterPid { get; init; }
    public IReadOnlySet<string> Parts { get; init; } = new HashSet<string> { "transact", "auth", "download" };
    public int Trials { get; init; } = 5;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 16, 64];
    public IReadOnlyList<int> ProfileConcurrency { get; init; } = [1, 16];
    public int EntryBytes { get; init; } = 1024;
    public int Pool { get; init; } = 16;
    public MeshMediaType Encoding { get; init; } = MeshMediaType.Json;
    public int DownloadEntries { get; init; } = 10_000;
    public int DownloadTrials { get; init; } = 5;
    public IReadOnlyList<MeshMediaType> DownloadEncodings { get; init; } = [MeshMediaType.Json, MeshMediaType.JsonB];
    public int AuthTrials { get; init; } = 5;
    public TimeSpan AuthTime { get; init; } = TimeSpan.FromSeconds(0.5);
    public string? WorkDirectory { get; init; }

    public bool Runs(string part) => Parts.Contains(part);

    public static SyncBenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            if (i + 1 >= args.Count) throw new ArgumentException($"'{args[i]}' needs a value.");
            values[args[i]] = args[i + 1];
        }
        string? Take(string name) => values.Remove(name, out var v) ? v : null;
        var endpoint = Take("--endpoint") ?? throw new ArgumentException("--endpoint is required.");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--endpoint '{endpoint}' is not an http:// or https:// URL.");
        var options = new SyncBenchOptions
        {
            Endpoint = uri,
            Certificate = Take("--cert"),
            Postgres = Take("--pg") ?? throw new ArgumentException("--pg is required."),
            PidDirectory = Take("--pids"),
            PostmasterPid = Take("--pg-pid") is { } pgPid ? Positive("--pg-pid", pgPid) : null,
            WorkDirectory = Take("--work"),
        };
        if (Take("--parts") is { } parts)
        {
            var set = parts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (set.Count == 0 || set.Any(p => p is not ("transact" or "auth" or "download")))
                throw new ArgumentException($"--parts '{parts}': name transact, auth and/or download.");
            options = options with { Parts = set };
        }
        if (Take("--trials") is { } trials) options = options with { Trials = Positive("--trials", trials) };
        if (Take("--duration") is { } duration) options = options with { Duration = Seconds("--duration", duration) };
        if (Take("--warmup") is { } warmup) options = options with { Warmup = Seconds("--warmup", warmup) };
        if (Take("--concurrency") is { } concurrency) options = options with { Concurrency = List("--concurrency", concurrency) };
        if (Take("--profile-concurrency") is { } profile)
            options = options with { ProfileConcurrency = profile.Trim() == "0" ? [] : List("--profile-concurrency", profile) };
        if (Take("--entry-bytes") is { } entry) options = options with { EntryBytes = Positive("--entry-bytes", entry) };
        if (Take("--pool") is { } pool) options = options with { Pool = Positive("--pool", pool) };
        if (Take("--encoding") is { } encoding) options = options with { Encoding = MediaType(encoding) };
        if (Take("--download-entries") is { } entries) options = options with { DownloadEntries = Positive("--download-entries", entries) };
        if (Take("--download-trials") is { } dtrials) options = options with { DownloadTrials = Positive("--download-trials", dtrials) };
        if (Take("--download-encodings") is { } encodings)
            options = options with { DownloadEncodings = encodings.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MediaType).ToArray() };
        if (Take("--auth-trials") is { } atrials) options = options with { AuthTrials = Positive("--auth-trials", atrials) };
        if (Take("--auth-seconds") is { } aseconds) options = options with { AuthTime = Seconds("--auth-seconds", aseconds) };
        if (values.Count > 0) throw new ArgumentException($"Unknown option '{values.Keys.First()}'.");
        if (options.Concurrency.Count == 0) throw new ArgumentException("--concurrency names no concurrency.");
        return options;
    }

    static MeshMediaType MediaType(string name) =>
        MeshMediaType.FromName(name) ?? throw new ArgumentException($"'{name}' is not an encoding (json, json-b, json-c).");

    static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");

    static TimeSpan Seconds(string name, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"{name} needs a positive number of seconds, not '{value}'.");

    static int[] List(string name, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => Positive(name, v)).ToArray();
}
