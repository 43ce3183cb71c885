using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Core.Dare;

/// <summary>The three spools of a Mesh account (draft-hallambaker-mesh-schema §Spools).</summary>
public enum DareSpoolKind
{
    Inbound,
    Outbound,
    Local,
}

/// <summary>Message states (mesh-schema §Spools); which apply depends on the spool.</summary>
public static class DareMessageState
{
    /// <summary>Every message starts here; on the inbound spool it is also "unread".</summary>
    public const string Initial = "Initial";
    /// <summary>Outbound: the recipient's service accepted the message.</summary>
    public const string Sent = "Sent";
    /// <summary>Outbound: the recipient acknowledged receipt.</summary>
    public const string Received = "Received";
    /// <summary>Outbound: the recipient's service refused the message.</summary>
    public const string Refused = "Refused";
    /// <summary>Inbound: the message has been read.</summary>
    public const string Read = "Read";
    /// <summary>Local: the action the message asked for is done.</summary>
    public const string Closed = "Closed";
    /// <summary>Any spool: marked deleted, its storage may be reclaimed by a purge (DARE §Spool "Delete").</summary>
    public const string Deleted = "Deleted";

    /// <summary>The Reference.Relationship "Unread" (SchemaMesh.md) returns an inbound message to <see cref="Initial"/>.</summary>
    public const string Unread = "Unread";
}

/// <summary>One message in a spool with the state its completion messages have given it.</summary>
public sealed record DareSpoolEntry(string MessageId, string? MessageType, byte[] Payload, long Index, string State, long? StateIndex);

/// <summary>
/// A DARE spool (draft-hallambaker-mesh-dare §Spool): an append-only Merkle sequence of messages,
/// each distinguished by its MessageId (ContentMeta.UniqueId), immutable once posted. A message's
/// state changes only by appending a MessageComplete whose References name it and give the new
/// state as Relationship (ProtocolMessageCompletion.md). The allowed changes are per spool:
/// <list type="bullet">
/// <item>Inbound: Initial ⇄ Read.</item>
/// <item>Outbound: Initial → Sent → Received | Refused, or Initial → Received | Refused.</item>
/// <item>Local: Initial → Closed.</item>
/// <item>Every spool: any state but Deleted → Deleted; Deleted is final (a purge may drop the data).</item>
/// </list>
/// The DARE draft's generic operations map onto these: Post, Processed (Inbound Read, Local
/// Closed), Unprocessed (back to Initial), Delete.
/// </summary>
public sealed class DareSpool
{
    public const string CompletionMessageType = "MessageComplete";

    readonly Dictionary<string, DareSpoolEntry> messages = new(StringComparer.Ordinal);
    readonly List<string> order = [];
    readonly IDareSigner? apexSigner;

    DareSpool(DareSpoolKind kind, DareSequence sequence, IDareSigner? apexSigner)
    {
        Kind = kind;
        Sequence = sequence;
        this.apexSigner = apexSigner;
    }

    public DareSpoolKind Kind { get; }

    public DareSequence Sequence { get; }

    /// <summary>Posted messages in the order they were posted, with their current state.</summary>
    public IEnumerable<DareSpoolEntry> Messages => order.Select(id => messages[id]);

    public int Count => order.Count;

    public byte[] ToArray() => Sequence.ToArray();

    public DareSpoolEntry Get(string messageId) =>
        messages.TryGetValue(messageId, out var entry) ? entry : throw new MeshFormatException($"{Kind} spool has no message '{messageId}'");

    public bool TryGet(string messageId, out DareSpoolEntry entry) => messages.TryGetValue(messageId, out entry!);

    public static DareSpool Create(DareSpoolKind kind, IDareSigner? apexSigner = null) =>
        new(kind, DareSequence.Create(DareSequenceType.Merkle), apexSigner);

    /// <summary>Reads a spool: checks the sequence, then replays posts and completions to the current states.</summary>
    public static DareSpool Open(DareSpoolKind kind, ReadOnlySpan<byte> bytes, IDareSigner? apexSigner = null)
    {
        var sequence = DareSequence.Open(bytes, out var frames);
        var spool = new DareSpool(kind, sequence, apexSigner);
        foreach (var frame in frames.Skip(1))
        {
            var meta = frame.Header.ContentMetaData is { } data
                ? DareContentMeta.FromJson(data)
                : throw new MeshFormatException($"spool frame {frame.Index} has no ContentMetaData");
            spool.Apply(meta, frame.Payload, frame.Index);
        }
        return spool;
    }

    /// <summary>Posts a message in state Initial; its identifier must be new to this spool.</summary>
    public DareSpoolEntry Post(string messageId, byte[] payload, string? messageType = null, DateTime? created = null)
    {
        if (messageType == CompletionMessageType)
            throw new MeshFormatException("a MessageComplete changes states: use Mark, not Post");
        var meta = new DareContentMeta { UniqueId = messageId, MessageType = messageType, Created = created };
        return Append(meta, payload)!;
    }

    /// <summary>
    /// Changes the state of a posted message by appending a MessageComplete with its own
    /// identifier (a fresh nonce when none is given). Returns the message with its new state.
    /// </summary>
    public DareSpoolEntry Mark(string messageId, string state, string? completionId = null)
    {
        completionId ??= Udf.Udf.Nonce();
        var completion = new MessageComplete
        {
            MessageId = completionId,
            References = [new Reference { MessageId = messageId, Relationship = state }],
        };
        var meta = new DareContentMeta { UniqueId = completionId, MessageType = CompletionMessageType };
        Append(meta, MeshJson.Serialize(completion));
        return messages[messageId];
    }

    /// <summary>DARE "Processed": Read on the inbound spool, Closed on the local one.</summary>
    public DareSpoolEntry Processed(string messageId) => Mark(messageId, Kind switch
    {
        DareSpoolKind.Inbound => DareMessageState.Read,
        DareSpoolKind.Local => DareMessageState.Closed,
        _ => throw new MeshFormatException("the outbound spool has no processed state: mark it Sent, Received or Refused"),
    });

    /// <summary>DARE "Unprocessed": back to Initial (unread).</summary>
    public DareSpoolEntry Unprocessed(string messageId) => Mark(messageId, DareMessageState.Initial);

    /// <summary>DARE "Delete".</summary>
    public DareSpoolEntry Delete(string messageId) => Mark(messageId, DareMessageState.Deleted);

    DareSpoolEntry? Append(DareContentMeta meta, byte[] payload)
    {
        var index = Sequence.Count;
        // Check against a copy of the state before writing, so a refused change leaves no frame behind.
        Validate(meta, payload, index);
        Sequence.Append(payload, meta.ToJson(), apexSigner);
        return Apply(meta, payload, index);
    }

    void Validate(DareContentMeta meta, byte[] payload, long index)
    {
        if (meta.MessageType != CompletionMessageType)
        {
            CheckPost(meta, index);
            return;
        }
        var pending = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, state) in References(meta, payload, index))
        {
            var current = pending.TryGetValue(id, out var p) ? p : StateOf(id, index);
            pending[id] = Next(id, current, state, index);
        }
    }

    DareSpoolEntry? Apply(DareContentMeta meta, byte[] payload, long index)
    {
        if (meta.MessageType != CompletionMessageType)
        {
            CheckPost(meta, index);
            var entry = new DareSpoolEntry(meta.UniqueId!, meta.MessageType, payload, index, DareMessageState.Initial, null);
            messages[entry.MessageId] = entry;
            order.Add(entry.MessageId);
            return entry;
        }
        foreach (var (id, state) in References(meta, payload, index))
        {
            var next = Next(id, StateOf(id, index), state, index);
            messages[id] = messages[id] with { State = next, StateIndex = index };
        }
        return null;
    }

    void CheckPost(DareContentMeta meta, long index)
    {
        if (string.IsNullOrEmpty(meta.UniqueId)) throw new MeshFormatException($"spool frame {index} has no UniqueId (message identifier)");
        if (messages.TryGetValue(meta.UniqueId, out var existing))
            throw new MeshFormatException($"spool frame {index}: message '{meta.UniqueId}' was already posted in frame {existing.Index}");
    }

    string StateOf(string id, long index) =>
        messages.TryGetValue(id, out var entry) ? entry.State
        : throw new MeshFormatException($"spool frame {index}: completion refers to message '{id}', which is not in the {Kind} spool");

    static List<(string Id, string State)> References(DareContentMeta meta, byte[] payload, long index)
    {
        MessageComplete completion;
        try
        {
            completion = MeshJson.Deserialize<MessageComplete>(payload);
        }
        catch (MeshFormatException e)
        {
            throw new MeshFormatException($"spool frame {index} says MessageComplete but its payload is not one: {e.Message}", e);
        }
        if (completion.References is not { Count: > 0 } references)
            throw new MeshFormatException($"spool frame {index}: MessageComplete '{meta.UniqueId}' references no message");
        return references.Select(r => (
            r.MessageId ?? throw new MeshFormatException($"spool frame {index}: a reference has no MessageId"),
            r.Relationship ?? throw new MeshFormatException($"spool frame {index}: reference to '{r.MessageId}' has no Relationship"))).ToList();
    }

    /// <summary>The state after <paramref name="requested"/>, or a MeshFormatException naming the refused change.</summary>
    string Next(string id, string current, string requested, long index)
    {
        var target = requested == DareMessageState.Unread && Kind == DareSpoolKind.Inbound ? DareMessageState.Initial : requested;
        var allowed = current != DareMessageState.Deleted && (target == DareMessageState.Deleted || (Kind, current, target) switch
        {
            (DareSpoolKind.Inbound, DareMessageState.Initial, DareMessageState.Read) => true,
            (DareSpoolKind.Inbound, DareMessageState.Read, DareMessageState.Initial) => true,
            (DareSpoolKind.Outbound, DareMessageState.Initial, DareMessageState.Sent or DareMessageState.Received or DareMessageState.Refused) => true,
            (DareSpoolKind.Outbound, DareMessageState.Sent, DareMessageState.Received or DareMessageState.Refused) => true,
            (DareSpoolKind.Local, DareMessageState.Initial, DareMessageState.Closed) => true,
            _ => false,
        });
        if (!allowed)
            throw new MeshFormatException($"spool frame {index}: message '{id}' in the {Kind} spool cannot go from {current} to {requested}");
        return target;
    }
}
