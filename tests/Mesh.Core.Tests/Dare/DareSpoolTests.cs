using System.Text;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Encoding = System.Text.Encoding;

namespace Mesh.Core.Tests.Dare;

/// <summary>Spools (DARE draft §Spool, mesh-schema §Spools): posts, MessageComplete state changes, replay.</summary>
public class DareSpoolTests
{
    static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    static DareSpool Posted(DareSpoolKind kind, string id = "msg-1")
    {
        var spool = DareSpool.Create(kind);
        spool.Post(id, U("hello"), "MessageContact");
        return spool;
    }

    /// <summary>Appends a completion the spool API would refuse, to check that reading refuses it too.</summary>
    static byte[] Forge(DareSpool spool, string messageId, string relationship)
    {
        var completion = new MessageComplete
        {
            MessageId = "forged",
            References = [new Reference { MessageId = messageId, Relationship = relationship }],
        };
        spool.Sequence.Append(MeshJson.Serialize(completion),
            new DareContentMeta { UniqueId = "forged", MessageType = DareSpool.CompletionMessageType }.ToJson());
        return spool.ToArray();
    }

    [Theory]
    [InlineData(DareSpoolKind.Inbound, "Read", "Read")]
    [InlineData(DareSpoolKind.Inbound, "Read,Initial", "Initial")]
    [InlineData(DareSpoolKind.Inbound, "Read,Unread", "Initial")]
    [InlineData(DareSpoolKind.Inbound, "Read,Initial,Read", "Read")]
    [InlineData(DareSpoolKind.Inbound, "Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Inbound, "Read,Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Outbound, "Sent", "Sent")]
    [InlineData(DareSpoolKind.Outbound, "Sent,Received", "Received")]
    [InlineData(DareSpoolKind.Outbound, "Sent,Refused", "Refused")]
    [InlineData(DareSpoolKind.Outbound, "Received", "Received")]
    [InlineData(DareSpoolKind.Outbound, "Refused", "Refused")]
    [InlineData(DareSpoolKind.Outbound, "Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Outbound, "Sent,Received,Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Outbound, "Refused,Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Local, "Closed", "Closed")]
    [InlineData(DareSpoolKind.Local, "Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Local, "Closed,Deleted", "Deleted")]
    public void Allowed_state_changes_are_written_and_replayed_to_the_same_state(DareSpoolKind kind, string changes, string final)
    {
        var spool = Posted(kind);
        foreach (var state in changes.Split(',')) spool.Mark("msg-1", state);
        Assert.Equal(final, spool.Get("msg-1").State);
        var read = DareSpool.Open(kind, spool.ToArray());
        Assert.Equal(final, read.Get("msg-1").State);
        Assert.Equal(spool.Get("msg-1").StateIndex, read.Get("msg-1").StateIndex);
        Assert.Equal(U("hello"), read.Get("msg-1").Payload);
    }

    [Theory]
    [InlineData(DareSpoolKind.Inbound, "", "Initial")]
    [InlineData(DareSpoolKind.Inbound, "", "Sent")]
    [InlineData(DareSpoolKind.Inbound, "", "Closed")]
    [InlineData(DareSpoolKind.Inbound, "Read", "Read")]
    [InlineData(DareSpoolKind.Inbound, "Deleted", "Initial")]
    [InlineData(DareSpoolKind.Inbound, "Deleted", "Deleted")]
    [InlineData(DareSpoolKind.Outbound, "", "Read")]
    [InlineData(DareSpoolKind.Outbound, "", "Closed")]
    [InlineData(DareSpoolKind.Outbound, "", "Unread")]
    [InlineData(DareSpoolKind.Outbound, "Sent", "Sent")]
    [InlineData(DareSpoolKind.Outbound, "Sent", "Initial")]
    [InlineData(DareSpoolKind.Outbound, "Received", "Sent")]
    [InlineData(DareSpoolKind.Outbound, "Received", "Refused")]
    [InlineData(DareSpoolKind.Outbound, "Refused", "Received")]
    [InlineData(DareSpoolKind.Outbound, "Deleted", "Sent")]
    [InlineData(DareSpoolKind.Local, "", "Read")]
    [InlineData(DareSpoolKind.Local, "", "Sent")]
    [InlineData(DareSpoolKind.Local, "Closed", "Initial")]
    [InlineData(DareSpoolKind.Local, "Closed", "Closed")]
    [InlineData(DareSpoolKind.Local, "Deleted", "Closed")]
    [InlineData(DareSpoolKind.Local, "", "Bogus")]
    public void Refused_state_changes_fail_when_written_and_when_read(DareSpoolKind kind, string before, string requested)
    {
        var spool = Posted(kind);
        foreach (var state in before.Split(',', StringSplitOptions.RemoveEmptyEntries)) spool.Mark("msg-1", state);
        var frames = spool.Sequence.Count;
        var stateBefore = spool.Get("msg-1").State;
        var e = Assert.Throws<MeshFormatException>(() => spool.Mark("msg-1", requested));
        Assert.Contains($"cannot go from {stateBefore} to {requested}", e.Message);
        Assert.Equal(frames, spool.Sequence.Count);
        Assert.Equal(stateBefore, spool.Get("msg-1").State);
        var forged = Forge(spool, "msg-1", requested);
        Assert.Contains("cannot go from", Assert.Throws<MeshFormatException>(() => DareSpool.Open(kind, forged)).Message);
    }

    [Fact]
    public void A_message_identifier_can_be_posted_only_once()
    {
        var spool = Posted(DareSpoolKind.Inbound);
        Assert.Contains("already posted", Assert.Throws<MeshFormatException>(() => spool.Post("msg-1", U("again"))).Message);
        Assert.Equal(2, spool.Sequence.Count);
        spool.Sequence.Append(U("again"), new DareContentMeta { UniqueId = "msg-1" }.ToJson());
        Assert.Contains("already posted", Assert.Throws<MeshFormatException>(() => DareSpool.Open(DareSpoolKind.Inbound, spool.ToArray())).Message);
    }

    [Fact]
    public void A_completion_for_a_message_not_in_the_spool_is_refused()
    {
        var spool = Posted(DareSpoolKind.Inbound);
        Assert.Contains("not in the Inbound spool", Assert.Throws<MeshFormatException>(() => spool.Mark("nobody", DareMessageState.Read)).Message);
        var forged = Forge(spool, "nobody", DareMessageState.Read);
        Assert.Contains("not in the Inbound spool", Assert.Throws<MeshFormatException>(() => DareSpool.Open(DareSpoolKind.Inbound, forged)).Message);
    }

    [Fact]
    public void A_MessageComplete_frame_whose_payload_is_not_one_is_refused()
    {
        var spool = Posted(DareSpoolKind.Inbound);
        spool.Sequence.Append(U("not json"), new DareContentMeta { UniqueId = "c", MessageType = DareSpool.CompletionMessageType }.ToJson());
        Assert.Contains("is not one", Assert.Throws<MeshFormatException>(() => DareSpool.Open(DareSpoolKind.Inbound, spool.ToArray())).Message);
    }

    [Fact]
    public void The_DARE_operations_map_to_the_states_of_each_spool()
    {
        var inbound = Posted(DareSpoolKind.Inbound);
        Assert.Equal(DareMessageState.Read, inbound.Processed("msg-1").State);
        Assert.Equal(DareMessageState.Initial, inbound.Unprocessed("msg-1").State);
        Assert.Equal(DareMessageState.Deleted, inbound.Delete("msg-1").State);
        var local = Posted(DareSpoolKind.Local);
        Assert.Equal(DareMessageState.Closed, local.Processed("msg-1").State);
        Assert.Throws<MeshFormatException>(() => local.Unprocessed("msg-1"));
        var outbound = Posted(DareSpoolKind.Outbound);
        Assert.Contains("no processed state", Assert.Throws<MeshFormatException>(() => outbound.Processed("msg-1")).Message);
    }

    [Fact]
    public void Messages_keep_their_order_and_posts_after_completions_replay()
    {
        var spool = DareSpool.Create(DareSpoolKind.Outbound);
        for (var i = 0; i < 10; i++) spool.Post($"m{i}", U($"body {i}"), "MessageContact", new DateTime(2024, 10, 14, 13, 10, 49, DateTimeKind.Utc));
        spool.Mark("m3", DareMessageState.Sent);
        spool.Post("m10", U("late"));
        spool.Mark("m3", DareMessageState.Received);
        var read = DareSpool.Open(DareSpoolKind.Outbound, spool.ToArray());
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"m{i}"), read.Messages.Select(m => m.MessageId));
        Assert.Equal(DareMessageState.Received, read.Get("m3").State);
        Assert.All(read.Messages.Where(m => m.MessageId != "m3"), m => Assert.Equal(DareMessageState.Initial, m.State));
        var frame = DareSequence.ReadFrames(spool.ToArray())[1];
        var meta = DareContentMeta.FromJson(frame.Header.ContentMetaData!);
        Assert.Equal(("m0", "MessageContact", new DateTime(2024, 10, 14, 13, 10, 49, DateTimeKind.Utc)), (meta.UniqueId, meta.MessageType, meta.Created!.Value));
    }

    [Fact]
    public void The_reference_completion_example_closes_the_PIN_message_in_the_local_spool()
    {
        // ProtocolMessageCompletion.md: the MessagePin is marked used by a MessageComplete with Relationship "Closed".
        var block = DareVectors.Blocks(SharedFiles.Vector("ProtocolMessageCompletion.md"), "")[0];
        var payload = Encoding.UTF8.GetBytes(block);
        var completion = MeshJson.Deserialize<MessageComplete>(payload);
        var pin = completion.References![0].MessageId!;
        var spool = DareSpool.Create(DareSpoolKind.Local);
        spool.Post(pin, U("MessagePin"), "MessagePin");
        spool.Sequence.Append(payload, new DareContentMeta { UniqueId = completion.MessageId, MessageType = DareSpool.CompletionMessageType }.ToJson());
        var read = DareSpool.Open(DareSpoolKind.Local, spool.ToArray());
        Assert.Equal(DareMessageState.Closed, read.Get(pin).State);
        Assert.Equal(2, read.Get(pin).StateIndex);
    }
}
