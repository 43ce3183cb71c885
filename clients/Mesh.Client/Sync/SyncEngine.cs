using System.Security.Cryptography;
using Mesh.Client.Accounts;
using Mesh.Client.Profiles;
using Mesh.Client.State;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Schema;

namespace Mesh.Client.Sync;

/// <summary>What a sync is doing now, for a progress display.</summary>
/// <param name="Store">The store concerned.</param>
/// <param name="Phase">Downloading, Uploading, Conflict (another device wrote first: downloading again) or Done.</param>
/// <param name="Entries">Entries moved so far in this phase.</param>
/// <param name="Total">Entries this phase will move.</param>
/// <param name="Bytes">Envelope bytes moved so far in this phase.</param>
public sealed record SyncProgress(string Store, SyncPhase Phase, long Entries, long Total, long Bytes);

public enum SyncPhase
{
    Downloading,
    Uploading,
    Conflict,
    Done,
}

/// <summary>What a sync did to one store.</summary>
public sealed record StoreSyncResult(string Store, long Downloaded, long Uploaded, long DownloadedBytes, long? Index);

/// <summary>What a sync did; <see cref="Summary"/> is the one line meshman prints.</summary>
public sealed record SyncResult(IReadOnlyList<StoreSyncResult> Stores, int Conflicts)
{
    public long Downloaded => Stores.Sum(s => s.Downloaded);

    public long Uploaded => Stores.Sum(s => s.Uploaded);

    public long DownloadedBytes => Stores.Sum(s => s.DownloadedBytes);

    public string Summary =>
        $"{Stores.Count} stores: {Downloaded} entries downloaded ({DownloadedBytes} bytes), {Uploaded} uploaded" +
        (Conflicts == 0 ? "" : $", {Conflicts} conflict{(Conflicts == 1 ? "" : "s")} resolved");
}

/// <summary>Sync limits: entries per Download page and Transact attempts before giving up on conflicts.</summary>
public sealed record SyncOptions(int PageEntries = 500, int MaxAttempts = 5)
{
    public static SyncOptions Default { get; } = new();
}

/// <summary>Another device kept writing the same stores: the upload was not accepted within the attempts allowed.</summary>
public sealed class MeshSyncConflictException(string message) : MeshClientException(message);

/// <summary>
/// Synchronises an account's replicas with the service (protocol -09 §7.3): Status, then for each
/// store whose index or apex differs from the replica a paged Download from the replica's next
/// index up to the index Status named; the frames are checked one by one (index, payload digest,
/// apex of the tree after each) and the apex after the last must equal the apex from Status before
/// any of them is written to the replica. Then the pending entries are framed after the replica's
/// last frame and sent in one Transact naming the index and apex each store is expected at; on
/// Conflict (another device wrote first) the engine downloads again, re-frames and retries.
/// </summary>
public sealed class SyncEngine(IMeshConnection connection, SyncOptions? options = null)
{
    readonly SyncOptions limits = options ?? SyncOptions.Default;

    public async Task<SyncResult> SyncAsync(MeshAccount account, Action<SyncProgress>? progress = null, CancellationToken cancellation = default)
    {
        var results = new Dictionary<string, StoreSyncResult>(StringComparer.Ordinal);
        var conflicts = 0;
        for (var attempt = 1; ; attempt++)
        {
            var status = AccountStatusCheck.Check(account,
                await connection.SendAsync<StatusResponse>(AccountStatusCheck.Request(account), cancellation));
            foreach (var store in status.ContainerStatus ?? [])
            {
                var name = store.Container ?? throw new MeshServiceException("a Status entry names no store");
                var replica = account.Store(name);
                var (entries, bytes) = await DownloadAsync(account.Address, replica, store, progress, cancellation);
                var previous = results.GetValueOrDefault(name);
                results[name] = new StoreSyncResult(name, (previous?.Downloaded ?? 0) + entries, previous?.Uploaded ?? 0,
                    (previous?.DownloadedBytes ?? 0) + bytes, replica.LastIndex);
            }

            var uploads = Uploads(account, status);
            if (uploads.Count == 0) break;
            foreach (var upload in uploads) progress?.Invoke(new SyncProgress(upload.Replica.Name, SyncPhase.Uploading, 0, upload.Entries, 0));
            try
            {
                await connection.SendAsync<TransactResponse>(new TransactRequest
                {
                    Account = account.Address,
                    Updates = uploads.Select(u => u.Update).ToList(),
                }, cancellation);
            }
            catch (MeshServiceException e) when (e.Status == 409)
            {
                conflicts++;
                foreach (var upload in uploads) progress?.Invoke(new SyncProgress(upload.Replica.Name, SyncPhase.Conflict, 0, upload.Entries, 0));
                if (attempt >= limits.MaxAttempts)
                {
                    throw new MeshSyncConflictException(
                        $"{string.Join(", ", uploads.Select(u => u.Replica.Name))}: the service kept answering Conflict after {attempt} attempts " +
                        $"(another device is writing the same stores); {uploads.Sum(u => u.Entries)} entries stay pending, run sync again");
                }
                continue;
            }
            foreach (var upload in uploads)
            {
                upload.Replica.Append(upload.Frames);
                upload.Replica.Pending.Retain(p => !upload.Replica.Holds(SHA512.HashData(p.Payload)));
                progress?.Invoke(new SyncProgress(upload.Replica.Name, SyncPhase.Uploading, upload.Entries, upload.Entries, 0));
                var previous = results.GetValueOrDefault(upload.Replica.Name);
                results[upload.Replica.Name] = new StoreSyncResult(upload.Replica.Name, previous?.Downloaded ?? 0,
                    (previous?.Uploaded ?? 0) + upload.Entries, previous?.DownloadedBytes ?? 0, upload.Replica.LastIndex);
            }
            break;
        }
        foreach (var name in results.Keys) progress?.Invoke(new SyncProgress(name, SyncPhase.Done, 0, 0, 0));
        return new SyncResult(results.Values.OrderBy(r => r.Store, StringComparer.Ordinal).ToList(), conflicts);
    }

    /// <summary>Brings <paramref name="replica"/> to the state <paramref name="status"/> names; returns entries and bytes fetched.</summary>
    async Task<(long Entries, long Bytes)> DownloadAsync(string account, StoreReplica replica, ContainerStatus status,
        Action<SyncProgress>? progress, CancellationToken cancellation)
    {
        var targetCount = status.Index is { } last ? last + 1 : 0;
        if (targetCount < replica.Count)
            throw new MeshCryptoException($"store {replica.Name}: the service holds {targetCount} frames but this device already has {replica.Count} (rolled back or replaced)");
        if (targetCount == replica.Count)
        {
            if (targetCount > 0 && !SameApex(status.Digest, replica.Apex))
                throw new MeshCryptoException($"store {replica.Name}: the service's apex at index {status.Index} is not this device's (the store was rewritten)");
            return (0, 0);
        }
        if (status.Digest is null) throw new MeshServiceException($"Status gives store {replica.Name} index {status.Index} without an apex");

        var frames = new List<DareEnvelope>();
        var frontier = replica.Frontier;
        long bytes = 0;
        var total = targetCount - replica.Count;
        while (frontier.Count < targetCount)
        {
            var response = await connection.SendAsync<DownloadResponse>(new DownloadRequest
            {
                Account = account,
                Select = [new ConstraintsSelect { Container = replica.Name, IndexMin = frontier.Count, IndexMax = targetCount - 1 }],
                ConstraintsPost = new ConstraintsData { MaxEntries = limits.PageEntries },
            }, cancellation);
            var update = response.Updates?.FirstOrDefault(u => string.Equals(u.Container, replica.Name, StringComparison.OrdinalIgnoreCase));
            var envelopes = update?.Envelopes ?? [];
            if (envelopes.Count == 0)
                throw new MeshServiceException($"store {replica.Name}: Download returned no entries from index {frontier.Count} although Status names index {status.Index}");
            foreach (var enveloped in envelopes)
            {
                if (frontier.Count == targetCount) break;
                var frame = Assertions.FromEnveloped(enveloped, $"store {replica.Name} entry");
                frontier = StoreFrames.Check(frame, frontier, $"store {replica.Name} as downloaded");
                frames.Add(frame);
                bytes += frame.Payload.Length + frame.Header.ToJson().Length + (frame.Trailer?.ToJson().Length ?? 0);
            }
            progress?.Invoke(new SyncProgress(replica.Name, SyncPhase.Downloading, frames.Count, total, bytes));
        }
        // The frames chain from what this device held; the last apex must be the one Status named.
        if (!SameApex(status.Digest, frontier.Apex))
            throw new MeshCryptoException($"store {replica.Name}: the entries downloaded do not lead to the apex Status gave for index {status.Index}; nothing was applied");
        replica.Append(frames);
        return (frames.Count, bytes);
    }

    sealed record Upload(StoreReplica Replica, ContainerUpdate Update, IReadOnlyList<DareEnvelope> Frames, int Entries);

    /// <summary>Each store with pending entries: the frames after the replica's last (frame 0 first when the store is empty).</summary>
    static List<Upload> Uploads(MeshAccount account, StatusResponse status)
    {
        var uploads = new List<Upload>();
        var names = (status.ContainerStatus ?? []).Select(s => s.Container).OfType<string>().ToList();
        // Entries written to a store the service does not list would never go up: say so rather than keep them silently.
        foreach (var file in Directory.Exists(account.StoresDirectory) ? Directory.GetFiles(account.StoresDirectory, "*.pending") : [])
        {
            var store = Path.GetFileNameWithoutExtension(file);
            if (!names.Contains(store, StringComparer.OrdinalIgnoreCase))
                throw new MeshServiceException($"this device holds entries for store {store}, which the service does not list for {account.Address}");
        }
        foreach (var name in names)
        {
            var replica = account.Store(name);
            replica.Pending.Retain(p => !replica.Holds(SHA512.HashData(p.Payload)));
            var pending = replica.Pending.Read();
            if (pending.Count == 0) continue;
            var frames = new List<DareEnvelope>();
            var frontier = replica.Frontier;
            if (frontier.Count == 0)
            {
                var header = StoreFrames.SequenceHeader();
                frames.Add(header);
                frontier = frontier.Append(header.Trailer!.PayloadDigest);
            }
            foreach (var entry in pending)
            {
                var frame = StoreFrames.Next(entry, frontier);
                frames.Add(frame);
                frontier = frontier.Append(frame.Trailer!.PayloadDigest);
            }
            var update = new ContainerUpdate
            {
                Container = name,
                Index = replica.LastIndex,
                Digest = replica.Apex,
                Envelopes = frames.Select(Assertions.ToEnveloped).ToList(),
            };
            uploads.Add(new Upload(replica, update, frames, pending.Count));
        }
        return uploads;
    }

    static bool SameApex(byte[]? a, byte[]? b) => a is not null && b is not null && a.Length == b.Length && CryptographicOperations.FixedTimeEquals(a, b);
}
