using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.Core.Protocol;

namespace Mesh.Sync.Benchmarks;

/// <summary>
/// ./mesh bench sync: drives the running stack through the client SDK and prints the tables of
/// docs/benchmarks.md ("Sync") on stdout; progress goes to stderr.
/// </summary>
public static class Program
{
    static readonly string[] ServiceProcesses = ["gateway", "account", "sync"];

    public static async Task<int> Main(string[] args)
    {
        SyncBenchOptions options;
        try
        {
            options = SyncBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(SyncBenchOptions.Usage);
            return 2;
        }
        var ownWork = options.WorkDirectory is null;
        var work = options.WorkDirectory ?? Directory.CreateTempSubdirectory("mesh-bench-sync-").FullName;
        try
        {
            var report = await RunAsync(options, work);
            Console.Out.Write(report);
            return 0;
        }
        finally
        {
            if (ownWork) Directory.Delete(work, recursive: true);
        }
    }

    static void Log(string message) => Console.Error.WriteLine($"sync-bench: {message}");

    static async Task<string> RunAsync(SyncBenchOptions options, string work)
    {
        var pinned = options.Certificate is null ? null : X509Certificate2.CreateFromPem(File.ReadAllText(options.Certificate));
        var endpoint = options.Endpoint;
        using var setupHttp = Wire.Client(new WireCounter(), pinned);
        var hello = await new MeshServiceClient(setupHttp, endpoint).HelloAsync();
        Log($"{endpoint}: Mesh {hello.Version}, encodings {string.Join(", ", hello.Encodings)}, service {hello.ServiceUdf}");
        var run = Guid.NewGuid().ToString("N")[..8];
        var report = new Report();
        report.Line($"Mesh.Sync.Benchmarks against {endpoint} ({(endpoint.Scheme == "https" ? "HTTPS, the client pins the state folder's gateway certificate" : "plain HTTP: requests encrypted to the host key, answers to the device key, ADR 0005")});");
        report.Line($"client: .NET {RuntimeInformation.FrameworkDescription.Split(' ').Last()}, {Environment.ProcessorCount} cores seen, one process for every client; Transact load in {options.Encoding.Name}.");

        var transact = options.Runs("transact");
        var clients = transact ? options.Concurrency.Max() : 1;
        var devices = new BenchDevice[clients];
        var ticketCounter = new WireCounter();
        var profileCounter = new WireCounter();
        using var ticketHttp = Wire.Client(ticketCounter, pinned);
        using var profileHttp = Wire.Client(profileCounter, pinned);
        try
        {
            if (transact || options.Runs("auth"))
            {
                Log($"creating {clients} account(s), one per client device, {options.Pool} entries of {options.EntryBytes} bytes each");
                var setup = new HttpMeshConnector(setupHttp, options.Encoding);
                await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellation) =>
                {
                    devices[i] = await BenchDevice.CreateAsync(Path.Combine(work, $"client{i:D2}"), $"sb{run}c{i:D2}@example.com", endpoint, setup,
                        options.Pool, options.EntryBytes, cancellation);
                    devices[i].Ticket = await new HttpMeshConnector(ticketHttp, options.Encoding)
                        .ConnectAsync(endpoint, devices[i].Credential, devices[i].Account.Credential, cancellation);
                    devices[i].Profile = new ServiceConnection(new MeshServiceClient(profileHttp, endpoint, options.Encoding),
                        new ProfileAuthentication(devices[i].Credential, devices[i].Address, devices[i].Account.ConnectionDevice));
                    // Frame 0 and a first entry; the Ticket connection's first request is a Profile exchange that brings its ticket.
                    await devices[i].TransactAsync(devices[i].Ticket!, cancellation: cancellation);
                });
            }
            if (transact) await TransactAsync(options, devices, ticketCounter, report);
            if (options.Runs("auth"))
            {
                Log("authentication cost in process");
                var rows = AuthenticationCost.Run(devices[0], hello.ServiceUdf, options.AuthTrials, options.AuthTime, Log);
                AuthenticationTable(options, rows, report);
            }
            if (options.Runs("download")) await DownloadAsync(options, endpoint, pinned, run, work, report);
            var end = ProcessMemory.Read(options.PidDirectory, ServiceProcesses);
            // After the Transact load alone, its own table (4x) already says it all.
            if (end.Count > 0 && (options.Runs("auth") || options.Runs("download") || !transact))
            {
                report.Section("4y", $"Peak memory (VmHWM) at the end of the run{(options.Runs("download") ? ", after the downloads" : "")}");
                MemoryTable(end, report);
            }
        }
        finally
        {
            foreach (var device in devices) device?.Dispose();
        }
        return report.ToString();
    }

    static async Task TransactAsync(SyncBenchOptions options, BenchDevice[] devices, WireCounter ticketWire, Report report)
    {
        var (synchronousCommit, fsync, version) = await BaselineInserts.SettingsAsync(options.Postgres);
        var row = await BaselineInserts.ReadStoredRowAsync(options.Postgres, devices[0].Address);
        await using var baseline = await BaselineInserts.CreateAsync(options.Postgres, row, devices.Length);
        const string Ticket = "Transact via the gateway, Ticket mode";
        const string Profile = "Transact via the gateway, Profile mode";
        const string Baseline = "baseline: raw Npgsql INSERT";
        var requests = new Dictionary<string, Func<int, Task>>
        {
            [Ticket] = i => devices[i].TransactAsync(devices[i].Ticket!),
            [Profile] = i => devices[i].TransactAsync(devices[i].Profile!),
            [Baseline] = baseline.InsertAsync,
        };
        var results = new Dictionary<(int, string), List<TrialResult>>();
        var cpu = new Dictionary<(int, string), Dictionary<string, double>>();
        var meter = new CpuMeter(options.PidDirectory, options.PostmasterPid);
        long ticketRequests = 0, ticketSent = 0, ticketReceived = 0;
        foreach (var c in options.Concurrency)
        {
            var targets = new List<string> { Ticket, Baseline };
            if (options.ProfileConcurrency.Contains(c)) targets.Insert(1, Profile);
            foreach (var target in targets)
            {
                Log($"{c} client(s), {target}: warm-up");
                await ClosedLoop.RunAsync(c, options.Warmup, requests[target]);
                results[(c, target)] = [];
                cpu[(c, target)] = new Dictionary<string, double>(StringComparer.Ordinal);
            }
            for (var trial = 0; trial < options.Trials; trial++)
            {
                // Each target takes each place in the order in turn, so drift falls on all of them.
                var order = targets.Skip(trial % targets.Count).Concat(targets.Take(trial % targets.Count)).ToList();
                foreach (var target in order)
                {
                    var (sent, received) = (ticketWire.Sent, ticketWire.Received);
                    var before = meter.Read();
                    var result = await ClosedLoop.RunAsync(c, options.Duration, requests[target]);
                    var after = meter.Read();
                    foreach (var (name, value) in after)
                    {
                        if (before.TryGetValue(name, out var start)) cpu[(c, target)][name] = cpu[(c, target)].GetValueOrDefault(name) + value - start;
                    }
                    if (target == Ticket)
                    {
                        ticketRequests += result.Requests;
                        ticketSent += ticketWire.Sent - sent;
                        ticketReceived += ticketWire.Received - received;
                    }
                    results[(c, target)].Add(result);
                    Log($"{c} client(s) trial {trial + 1} {target}: {result.PerSecond:F0}/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms ({result.Requests} in {result.Seconds:F1} s)");
                }
            }
        }
        var afterLoad = ProcessMemory.Read(options.PidDirectory, ServiceProcesses);

        report.Section("1", "Transact of one entry");
        report.Line($"One entry per Transact: a CatalogedCredential of {options.EntryBytes} bytes of JSON (the SDK's `Credentials.Add`, encrypted to the account, signed by the device),");
        report.Line($"stored by the sync service as a {row.Envelope.Length}-byte envelope; on the wire a Ticket-mode Transact is {Per(ticketSent, ticketRequests)} bytes up and {Per(ticketReceived, ticketRequests)} bytes down (TCP payload, headers included).");
        report.Line($"Baseline: INSERT of that row ({row.Envelope.Length}-byte envelope, 64-byte digests, timestamptz) into bench_sync.entry, shaped as sync.entry, one transaction per row;");
        report.Line($"PostgreSQL {version}, synchronous_commit = {synchronousCommit}, fsync = {fsync} (the services and the baseline alike).");
        report.Line($"Median of {options.Trials} trials × {options.Duration.TotalSeconds:0.#} s per row, targets rotating within each trial, after {options.Warmup.TotalSeconds:0.#} s of warm-up each; every client is its own account and device.");
        report.Blank();
        report.Line("| clients | target | requests/s | p50 (ms) | p99 (ms) | stack/baseline requests/s |");
        report.Line("|---:|---|---:|---:|---:|---:|");
        double Median(int c, string target, Func<TrialResult, double> pick) => Samples.Median(results[(c, target)].Select(pick));
        foreach (var c in options.Concurrency)
        {
            var baseRate = Median(c, Baseline, r => r.PerSecond);
            foreach (var target in new[] { Ticket, Profile, Baseline }.Where(t => results.ContainsKey((c, t))))
            {
                var rate = Median(c, target, r => r.PerSecond);
                report.Line($"| {c} | {target} | {rate:F0} | {Median(c, target, r => r.P50Ms):F2} | {Median(c, target, r => r.P99Ms):F2} | {(target == Baseline ? "" : Percent(rate / baseRate))} |");
            }
        }
        report.Blank();
        var goals = options.Concurrency.Select(c =>
        {
            var ratio = Median(c, Ticket, r => r.PerSecond) / Median(c, Baseline, r => r.PerSecond);
            return $"{c} client{(c == 1 ? "" : "s")}: {Percent(ratio)} ({(ratio >= 0.30 ? "met" : "not met")})";
        });
        report.Line($"Goal, Ticket-mode Transact ≥ 30 % of the baseline's requests/s: {string.Join("; ", goals)}.");
        if (options.Concurrency.Contains(16))
        {
            var p99 = Median(16, Ticket, r => r.P99Ms);
            report.Line($"Goal, p99 < 50 ms at 16 clients: {p99:F1} ms ({(p99 < 50 ? "met" : "not met")}).");
        }

        var measured = CpuMeter.Names.Where(n => cpu.Values.All(d => d.ContainsKey(n))).ToList();
        report.Blank();
        report.Line("Where the CPU went: CPU time (user + system, from /proc) per request, summed over the timed trials of each row; the machine has " +
                    $"{Environment.ProcessorCount} cores, so {Environment.ProcessorCount * 1000.0:F0} ms of CPU per second at most.");
        report.Blank();
        report.Line($"| clients | target | {string.Join(" | ", measured.Select(n => n + " (ms)"))} | total (ms) |");
        report.Line($"|---:|---|{string.Concat(measured.Select(_ => "---:|"))}---:|");
        foreach (var c in options.Concurrency)
        {
            foreach (var target in new[] { Ticket, Profile, Baseline }.Where(t => results.ContainsKey((c, t))))
            {
                var count = results[(c, target)].Sum(r => r.Requests);
                var perRequest = measured.Select(n => 1000 * cpu[(c, target)][n] / count).ToList();
                report.Line($"| {c} | {target} | {string.Join(" | ", perRequest.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))} | {perRequest.Sum():F2} |");
            }
        }

        var profiled = options.Concurrency.Where(c => results.ContainsKey((c, Profile))).ToList();
        if (profiled.Count > 0)
        {
            report.Section("2b", "Ticket vs Profile mode end to end (the trials of part 1)");
            report.Line("| clients | Ticket requests/s | Profile requests/s | Ticket/Profile requests/s | Profile/Ticket p50 | Profile/Ticket p99 |");
            report.Line("|---:|---:|---:|---:|---:|---:|");
            foreach (var c in profiled)
            {
                report.Line($"| {c} | {Median(c, Ticket, r => r.PerSecond):F0} | {Median(c, Profile, r => r.PerSecond):F0} | " +
                            $"{Median(c, Ticket, r => r.PerSecond) / Median(c, Profile, r => r.PerSecond):F2}× | " +
                            $"{Median(c, Profile, r => r.P50Ms) / Median(c, Ticket, r => r.P50Ms):F2}× | {Median(c, Profile, r => r.P99Ms) / Median(c, Ticket, r => r.P99Ms):F2}× |");
            }
        }
        if (afterLoad.Count > 0)
        {
            report.Section("4x", "Peak memory (VmHWM) after the Transact load");
            MemoryTable(afterLoad, report);
        }
    }

    static void AuthenticationTable(SyncBenchOptions options, IReadOnlyList<AuthenticationRow> rows, Report report)
    {
        report.Section("2a", "Cost of each authentication mode per request, in process");
        report.Line($"One thread, real Ed448/X448 device and account keys of the run, a Transact payload of one entry; median of {options.AuthTrials} trials × {options.AuthTime.TotalSeconds:0.##} s per operation.");
        report.Blank();
        report.Line("| side | operation | Ticket (µs) | Profile (µs) | Profile/Ticket |");
        report.Line("|---|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            report.Line($"| {row.Side} | {row.Operation} | {Micro(row.TicketMicroseconds)} | {Micro(row.ProfileMicroseconds)} | " +
                        $"{(row.TicketMicroseconds is { } t && row.ProfileMicroseconds is { } p ? $"{p / t:F1}×" : "")} |");
        }
        foreach (var side in new[] { "gateway", "client" })
        {
            var ticket = rows.Where(r => r.Side == side).Sum(r => r.TicketMicroseconds ?? 0);
            var profile = rows.Where(r => r.Side == side).Sum(r => r.ProfileMicroseconds ?? 0);
            report.Line($"| {side} | **total per request** | **{ticket:F1}** | **{profile:F1}** | **{profile / ticket:F1}×** |");
        }
    }

    static async Task DownloadAsync(SyncBenchOptions options, Uri endpoint, X509Certificate2? pinned, string run, string work, Report report)
    {
        Log($"download: account with {options.DownloadEntries} entries");
        using var http = Wire.Client(new WireCounter(), pinned);
        using var device = await BenchDevice.CreateAsync(Path.Combine(work, "download"), $"sb{run}dl@example.com", endpoint,
            new HttpMeshConnector(http, MeshMediaType.JsonB), 1, options.EntryBytes, CancellationToken.None);
        var upload = await new HttpMeshConnector(http, MeshMediaType.JsonB).ConnectAsync(endpoint, device.Credential, device.Account.Credential);
        var download = new FreshDeviceDownload(device, pinned, work);
        await download.FillAsync(options.DownloadEntries, options.EntryBytes, upload, Log);
        var results = options.DownloadEncodings.ToDictionary(e => e, _ => new List<DownloadResult>());
        for (var trial = 0; trial < options.DownloadTrials; trial++)
        {
            var order = trial % 2 == 0 ? options.DownloadEncodings : options.DownloadEncodings.Reverse().ToList();
            foreach (var encoding in order)
            {
                var result = await download.RunAsync(encoding, trial);
                results[encoding].Add(result);
                Log($"download trial {trial + 1} {encoding.Name}: {result.Seconds:F2} s, {result.Entries} frames, {result.WireReceived} bytes received, {result.WireSent} sent");
            }
        }
        report.Section("3", $"Download of {options.DownloadEntries} entries to a fresh device");
        report.Line($"A copy of the device's home folder without its replicas runs the SDK's sync (`AccountService.SyncAsync`): Hello, Status, Download pages (the service sends at most 256 entries a page),");
        report.Line($"every frame checked against the Merkle apex, then written to the replica. Entries as in part 1 ({options.EntryBytes}-byte plaintext). Bytes: TCP payload both ways (HTTP headers{(endpoint.Scheme == "https" ? ", TLS" : "")} included),");
        report.Line($"and the envelope bytes the SDK counts. Reopen: `account.Store(\"Credential\")` once the sync is done (the replica file read and every frame re-checked),");
        report.Line($"which every later command on the device pays. Median of {options.DownloadTrials} trials, encodings alternating.");
        report.Blank();
        report.Line("| encoding | seconds | entries/s | frames | bytes received | bytes sent | envelope bytes (SDK) | received/entry | reopen replica (s) |");
        report.Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        double Median(MeshMediaType e, Func<DownloadResult, double> pick) => Samples.Median(results[e].Select(pick));
        foreach (var encoding in options.DownloadEncodings)
        {
            var seconds = Median(encoding, r => r.Seconds);
            report.Line($"| {encoding.Name} | {seconds:F2} | {options.DownloadEntries / seconds:F0} | {Median(encoding, r => r.Entries):F0} | {Median(encoding, r => r.WireReceived):N0} | " +
                        $"{Median(encoding, r => r.WireSent):N0} | {Median(encoding, r => r.EnvelopeBytes):N0} | {Median(encoding, r => r.WireReceived) / options.DownloadEntries:F0} | " +
                        $"{Median(encoding, r => r.ReopenSeconds):F2} |");
        }
        if (results.ContainsKey(MeshMediaType.Json) && results.ContainsKey(MeshMediaType.JsonB))
        {
            report.Blank();
            report.Line($"JSON-B / JSON: time {Median(MeshMediaType.JsonB, r => r.Seconds) / Median(MeshMediaType.Json, r => r.Seconds):F2}×, " +
                        $"bytes received {Median(MeshMediaType.JsonB, r => r.WireReceived) / Median(MeshMediaType.Json, r => r.WireReceived):F2}×.");
        }
    }

    static void MemoryTable(IReadOnlyList<ProcessMemory> processes, Report report)
    {
        report.Line("| process | VmHWM (MiB) | VmRSS now (MiB) |");
        report.Line("|---|---:|---:|");
        foreach (var p in processes) report.Line($"| {p.Name} | {p.PeakKilobytes / 1024.0:F0} | {p.ResidentKilobytes / 1024.0:F0} |");
    }

    static string Percent(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{100 * ratio:F0} %");

    static string Per(long bytes, long requests) => requests == 0 ? "?" : (bytes / requests).ToString(CultureInfo.InvariantCulture);

    static string Micro(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "—";
}

/// <summary>The markdown the script writes between the doc's markers: sections in the order of their keys, whatever order they ran in.</summary>
public sealed class Report
{
    readonly SortedDictionary<string, System.Text.StringBuilder> sections = new(StringComparer.Ordinal) { [""] = new() };
    string current = "";

    public void Line(string line) => sections[current].Append(line).Append('\n');

    public void Blank() => sections[current].Append('\n');

    /// <summary>Starts section <paramref name="key"/> ("1", "2a", ...), titled "KEY. TITLE".</summary>
    public void Section(string key, string title)
    {
        current = key;
        if (!sections.ContainsKey(key)) sections[key] = new();
        Blank();
        Line($"**{key.TrimEnd('x', 'y')}. {title}**");
        Blank();
    }

    public override string ToString() => string.Concat(sections.Values.Select(s => s.ToString()));
}
