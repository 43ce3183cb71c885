using Mesh.Client.Accounts;
using Mesh.Client.Catalogs;
using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Sync.Benchmarks;

/// <summary>
/// One device (its own home folder) holding its own account at the service, so that concurrent
/// clients never write the same store: a Transact from one client never conflicts with another's.
/// Entries are made with the SDK (<see cref="CredentialCatalog.Add"/>: a CatalogedCredential
/// encrypted to the account and signed by the device), then framed and sent one per Transact as the
/// SDK's SyncEngine frames pending entries, keeping the store's Merkle frontier in memory.
/// </summary>
public sealed class BenchDevice : IDisposable
{
    public const string Store = MeshAccount.CredentialStore;

    readonly List<DareEnvelope> pool;
    int next;

    BenchDevice(MeshHome home, MeshAccount account, List<DareEnvelope> pool)
    {
        Home = home;
        Account = account;
        this.pool = pool;
        Frontier = account.Store(Store).Frontier;
    }

    public MeshHome Home { get; }

    public MeshAccount Account { get; }

    public string Address => Account.Address;

    /// <summary>The Credential store's frontier as the service holds it (every Transact of this device succeeded).</summary>
    public MerkleFrontier Frontier { get; private set; }

    public IReadOnlyList<DareEnvelope> Pool => pool;

    /// <summary>Ticket mode after a first Profile exchange (the SDK's <see cref="HttpMeshConnector"/>).</summary>
    public IMeshConnection? Ticket { get; set; }

    /// <summary>Profile mode on every request.</summary>
    public IMeshConnection? Profile { get; set; }

    /// <summary>
    /// Creates the device's home, creates and binds the account (the SDK's AccountService), syncs once
    /// (the Device catalog entry goes up), then makes <paramref name="poolSize"/> credentials of
    /// <paramref name="entryBytes"/> plaintext bytes and takes them out of the pending file.
    /// </summary>
    public static async Task<BenchDevice> CreateAsync(string homeDirectory, string address, Uri endpoint, IMeshConnector connector,
        int poolSize, int entryBytes, CancellationToken cancellation)
    {
        var home = MeshHome.Open(homeDirectory);
        try
        {
            var service = new AccountService(connector);
            var account = await service.CreateAsync(home, address, endpoint, cancellation: cancellation);
            await service.SyncAsync(home, account, cancellation: cancellation);
            var credentials = account.Credentials;
            for (var i = 0; i < poolSize; i++)
                credentials.Add("bench.example.com", $"user{i:D5}", Password(entryBytes));
            var replica = account.Store(Store);
            var entries = replica.Pending.Read().ToList();
            replica.Pending.Retain(_ => false);
            return new BenchDevice(home, account, entries);
        }
        catch
        {
            home.Dispose();
            throw;
        }
    }

    /// <summary>A password that makes the CatalogedCredential's JSON (the entry's plaintext) <paramref name="entryBytes"/> long.</summary>
    public static string Password(int entryBytes)
    {
        var probe = new CatalogedCredential { Uid = Mesh.Core.Udf.Udf.Nonce(), Service = "bench.example.com", Username = "user00000", Password = "" };
        var overhead = MeshJson.Serialize(probe).Length;
        var length = Math.Max(1, entryBytes - overhead);
        return string.Create(length, Random.Shared, (span, random) =>
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[random.Next(alphabet.Length)];
        });
    }

    /// <summary>The next entry of the pool framed after the frontier (frame 0, the sequence header, first when the store is empty).</summary>
    public (ContainerUpdate Update, MerkleFrontier After) NextUpdate(IReadOnlyList<DareEnvelope>? entries = null)
    {
        var frames = new List<DareEnvelope>();
        var frontier = Frontier;
        if (frontier.Count == 0)
        {
            var header = StoreFrames.SequenceHeader();
            frames.Add(header);
            frontier = frontier.Append(header.Trailer!.PayloadDigest!);
        }
        foreach (var entry in entries ?? [pool[next++ % pool.Count]])
        {
            var frame = StoreFrames.Next(entry, frontier);
            frames.Add(frame);
            frontier = frontier.Append(frame.Trailer!.PayloadDigest!);
        }
        var update = new ContainerUpdate
        {
            Container = Store,
            Index = Frontier.Count == 0 ? null : Frontier.Count - 1,
            Digest = Frontier.Count == 0 ? null : Frontier.Apex,
            Envelopes = frames.Select(Assertions.ToEnveloped).ToList(),
        };
        return (update, frontier);
    }

    /// <summary>One Transact appending the next entry (or <paramref name="entries"/>) to the Credential store.</summary>
    public async Task TransactAsync(IMeshConnection connection, IReadOnlyList<DareEnvelope>? entries = null, CancellationToken cancellation = default)
    {
        var (update, after) = NextUpdate(entries);
        await connection.SendAsync<TransactResponse>(new TransactRequest { Account = Address, Updates = [update] }, cancellation);
        Frontier = after;
    }

    public DeviceCredential Credential => Home.DeviceCredential;

    public void Dispose()
    {
        Account.Dispose();
        Home.Dispose();
    }
}
