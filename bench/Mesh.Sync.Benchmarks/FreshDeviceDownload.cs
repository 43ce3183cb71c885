using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Mesh.Client.Accounts;
using Mesh.Client.Keys;
using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.Core.Dare;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Sync.Benchmarks;

/// <summary>One download of the whole account to a fresh device.</summary>
/// <param name="ReopenSeconds">Opening the replica afterwards (StoreReplica.Open re-reads and re-checks every frame), as each later command does.</param>
public sealed record DownloadResult(MeshMediaType Encoding, double Seconds, long Entries, long EnvelopeBytes, long WireReceived, long WireSent, double ReopenSeconds);

/// <summary>
/// Download of N entries to a fresh device: an account whose Credential store holds N entries (made
/// like <c>password add</c> makes them, uploaded 256 per Transact, the service's limit), then, per
/// trial and encoding, a copy of the device's home folder without its store replicas (the README's
/// "copy of the device", before its first sync) runs the SDK's sync (<see cref="AccountService.SyncAsync"/>:
/// Hello, Status, paged Download, every frame checked against the Merkle apex, written to the replica)
/// over a new HttpClient whose sockets count the bytes.
/// </summary>
public sealed class FreshDeviceDownload(BenchDevice device, X509Certificate2? pinned, string work)
{
    const int UploadBatch = 256;

    /// <summary>Makes <paramref name="count"/> entries (on every core) and uploads them.</summary>
    public async Task FillAsync(int count, int entryBytes, IMeshConnection connection, Action<string> log)
    {
        var watch = Stopwatch.StartNew();
        var entries = new DareEnvelope[count];
        var workers = Math.Max(1, Environment.ProcessorCount);
        // CredentialCatalog.Add seals one entry at a time into the pending file; here each worker seals
        // the same CatalogedCredential envelopes with its own copy of the keys (signed by the device,
        // encrypted to the account's published encryption key), and they go up directly.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() =>
        {
            using var home = MeshHome.Open(device.Home.Directory);
            var signer = home.DeviceKeys.Signature(MeshKeyOperation.Sign);
            using var recipient = KeyDataConvert.ToAgreementKey(device.Account.Profile.CommonEncryption, "ProfileUser.CommonEncryption");
            for (var i = w; i < count; i += workers)
            {
                entries[i] = Assertions.Seal(new CatalogedCredential
                {
                    Uid = Mesh.Core.Udf.Udf.Nonce(),
                    Service = $"site{i:D5}.example.com",
                    Username = $"user{i:D5}",
                    Password = BenchDevice.Password(entryBytes),
                }, signer, recipient);
            }
        })));
        log($"download: {count} entries sealed in {watch.Elapsed.TotalSeconds:F1} s");
        for (var offset = 0; offset < count;)
        {
            // The first batch also carries frame 0 (the sequence header) when the store is empty.
            var size = Math.Min(UploadBatch - (device.Frontier.Count == 0 ? 1 : 0), count - offset);
            await device.TransactAsync(connection, new ArraySegment<DareEnvelope>(entries, offset, size));
            offset += size;
        }
        log($"download: {count} entries uploaded in {watch.Elapsed.TotalSeconds:F1} s; the store holds {device.Frontier.Count} frames");
    }

    /// <summary>Syncs a fresh copy of the device and checks that it holds every frame the service holds.</summary>
    public async Task<DownloadResult> RunAsync(MeshMediaType encoding, int trial)
    {
        var copy = Path.Combine(work, $"fresh-{trial}-{encoding.Name["application/".Length..]}");
        CopyHomeWithoutStores(device.Home.Directory, copy);
        try
        {
            var counter = new WireCounter();
            using var http = Wire.Client(counter, pinned);
            using var home = MeshHome.Open(copy);
            using var account = home.OpenAccount(device.Address);
            var service = new AccountService(new HttpMeshConnector(http, encoding));
            var watch = Stopwatch.StartNew();
            var result = await service.SyncAsync(home, account);
            var seconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            var replica = account.Store(BenchDevice.Store);
            var reopen = watch.Elapsed.TotalSeconds;
            if (replica.Count != device.Frontier.Count || !replica.Apex!.AsSpan().SequenceEqual(device.Frontier.Apex))
                throw new InvalidOperationException($"the fresh device holds {replica.Count} {BenchDevice.Store} frames, the service {device.Frontier.Count}");
            var store = result.Stores.Single(s => s.Store == BenchDevice.Store);
            return new DownloadResult(encoding, seconds, store.Downloaded, result.DownloadedBytes, counter.Received, counter.Sent, reopen);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Copies a home folder as <c>cp -a</c> does (modes kept: device.key must stay 600), leaving out the store replicas.</summary>
    static void CopyHomeWithoutStores(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        foreach (var file in Directory.GetFiles(source))
        {
            var target = Path.Combine(destination, Path.GetFileName(file));
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
        foreach (var directory in Directory.GetDirectories(source))
        {
            if (Path.GetFileName(directory) == "stores") continue;
            CopyHomeWithoutStores(directory, Path.Combine(destination, Path.GetFileName(directory)));
        }
    }
}
