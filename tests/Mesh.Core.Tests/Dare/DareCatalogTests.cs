using System.Text;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;

namespace Mesh.Core.Tests.Dare;

/// <summary>Catalogs (DARE draft §Catalog): the (New Update* Delete)* state machine, written and replayed.</summary>
public class DareCatalogTests
{
    static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Appends a frame the catalog API would refuse, to check that reading refuses it too.</summary>
    static byte[] Forge(DareCatalog catalog, DareContentMeta meta, byte[]? payload = null)
    {
        catalog.Sequence.Append(payload ?? [], meta.ToJson());
        return catalog.ToArray();
    }

    [Fact]
    public void New_on_an_absent_identifier_adds_the_entry()
    {
        var catalog = DareCatalog.Create();
        var entry = catalog.New("contact-1", U("alice"));
        Assert.Equal(1, entry.Index);
        Assert.Equal(DareCatalogEvent.New, entry.Meta.Event);
        Assert.Null(entry.Meta.First);
        Assert.Equal(U("alice"), catalog.Get("contact-1").Payload);
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public void New_on_a_present_identifier_is_refused_and_writes_no_frame()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("alice"));
        var e = Assert.Throws<MeshFormatException>(() => catalog.New("contact-1", U("again")));
        Assert.Contains("already holds", e.Message);
        Assert.Equal(2, catalog.Sequence.Count);
        Assert.Equal(U("alice"), catalog.Get("contact-1").Payload);
    }

    [Fact]
    public void Reading_a_catalog_with_two_New_frames_for_one_identifier_is_refused()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("alice"));
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "contact-1", Event = DareCatalogEvent.New }, U("again"));
        Assert.Contains("already holds", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void Update_of_a_present_entry_replaces_its_data_and_links_First_and_Previous()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("v1"));
        catalog.New("contact-2", U("other"));
        var second = catalog.Update("contact-1", U("v2"));
        var third = catalog.Update("contact-1", U("v3"));
        Assert.Equal((1L, 1L), (second.Meta.First!.Value, second.Meta.Previous!.Value));
        Assert.Equal((1L, second.Index), (third.Meta.First!.Value, third.Meta.Previous!.Value));
        Assert.Equal(U("v3"), catalog.Get("contact-1").Payload);
        Assert.Equal(2, catalog.Count);
    }

    [Fact]
    public void Update_of_an_absent_identifier_is_refused_both_when_writing_and_when_reading()
    {
        var catalog = DareCatalog.Create();
        Assert.Contains("does not hold", Assert.Throws<MeshFormatException>(() => catalog.Update("nobody", U("x"))).Message);
        Assert.Equal(1, catalog.Sequence.Count);
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "nobody", Event = DareCatalogEvent.Update }, U("x"));
        Assert.Contains("does not hold", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void Update_after_Delete_is_refused_both_when_writing_and_when_reading()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("v1"));
        catalog.Delete("contact-1");
        Assert.Throws<MeshFormatException>(() => catalog.Update("contact-1", U("v2")));
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "contact-1", Event = DareCatalogEvent.Update }, U("v2"));
        Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes));
    }

    [Fact]
    public void Delete_of_a_present_entry_removes_it_and_links_to_its_history()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("v1"));
        catalog.Update("contact-1", U("v2"));
        catalog.Delete("contact-1");
        Assert.False(catalog.TryGet("contact-1", out _));
        Assert.Equal(0, catalog.Count);
        var frames = DareSequence.ReadFrames(catalog.ToArray());
        var deleted = DareContentMeta.FromJson(frames[3].Header.ContentMetaData!);
        Assert.Equal((DareCatalogEvent.Delete, 1L, 2L), (deleted.Event, deleted.First!.Value, deleted.Previous!.Value));
        Assert.Empty(frames[3].Payload);
    }

    [Fact]
    public void Delete_of_an_absent_or_deleted_identifier_is_refused_both_when_writing_and_when_reading()
    {
        var catalog = DareCatalog.Create();
        Assert.Throws<MeshFormatException>(() => catalog.Delete("nobody"));
        catalog.New("contact-1", U("v1"));
        catalog.Delete("contact-1");
        Assert.Throws<MeshFormatException>(() => catalog.Delete("contact-1"));
        Assert.Equal(3, catalog.Sequence.Count);
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "contact-1", Event = DareCatalogEvent.Delete });
        Assert.Contains("does not hold", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void New_after_Delete_starts_a_new_lifetime_of_the_identifier()
    {
        var catalog = DareCatalog.Create();
        catalog.New("contact-1", U("v1"));
        catalog.Delete("contact-1");
        var again = catalog.New("contact-1", U("v9"));
        var update = catalog.Update("contact-1", U("v10"));
        Assert.Equal(3, again.Index);
        Assert.Equal(3, update.Meta.First);
        Assert.Equal(U("v10"), DareCatalog.Open(catalog.ToArray()).Get("contact-1").Payload);
    }

    [Fact]
    public void Reading_a_catalog_replays_every_operation_to_the_current_set()
    {
        var catalog = DareCatalog.Create();
        for (var i = 0; i < 20; i++) catalog.New($"id-{i}", U($"v{i}"));
        for (var i = 0; i < 20; i += 2) catalog.Update($"id-{i}", U($"w{i}"));
        for (var i = 0; i < 20; i += 3) catalog.Delete($"id-{i}");
        catalog.New("id-0", U("back"));
        var read = DareCatalog.Open(catalog.ToArray());
        Assert.Equal(catalog.Entries.OrderBy(e => e.UniqueId).Select(e => (e.UniqueId, Encoding.UTF8.GetString(e.Payload), e.Index)),
            read.Entries.OrderBy(e => e.UniqueId).Select(e => (e.UniqueId, Encoding.UTF8.GetString(e.Payload), e.Index)));
        Assert.Equal(14, read.Count);
        Assert.Equal("w2", Encoding.UTF8.GetString(read.Get("id-2").Payload));
        Assert.Equal("back", Encoding.UTF8.GetString(read.Get("id-0").Payload));
        Assert.Equal(catalog.Sequence.Frontier, read.Sequence.Frontier);
        read.Update("id-1", U("after reopening"));
        Assert.Equal("after reopening", Encoding.UTF8.GetString(DareCatalog.Open(read.ToArray()).Get("id-1").Payload));
    }

    [Fact]
    public void Catalog_frames_carry_the_ContentMetaData_form_of_the_reference_upload_example()
    {
        // ProtocolUpload.md: the envelope appended to the Bookmark catalog has ContentMetaData {"UniqueId":..,"Event":"New"}.
        var request = DareVectors.Json(DareVectors.Blocks(SharedFiles.Vector("ProtocolUpload.md"), "")[0]);
        var header = request.GetProperty("TransactRequest").GetProperty("Updates")[0].GetProperty("Envelopes")[0][0];
        var printed = DareVectors.B64(header.GetProperty("ContentMetaData").GetString()!);
        var reference = DareContentMeta.FromJson(printed);
        Assert.Equal(DareCatalogEvent.New, reference.Event);
        var catalog = DareCatalog.Create();
        catalog.New(reference.UniqueId!, U("bookmark"));
        var ours = DareSequence.ReadFrames(catalog.ToArray())[1].Header.ContentMetaData!;
        using var referenceJson = System.Text.Json.JsonDocument.Parse(printed);
        using var oursJson = System.Text.Json.JsonDocument.Parse(ours);
        Assert.Equal(referenceJson.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())),
            oursJson.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public void The_draft_name_Add_is_read_as_New()
    {
        var catalog = DareCatalog.Create();
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "x", Event = DareCatalogEvent.Add }, U("v"));
        Assert.Equal(U("v"), DareCatalog.Open(bytes).Get("x").Payload);
    }

    [Theory]
    [InlineData("Rename", "unknown catalog event")]
    [InlineData(null, "unknown catalog event")]
    public void A_frame_with_an_unknown_event_is_refused(string? operation, string message)
    {
        var catalog = DareCatalog.Create();
        var bytes = Forge(catalog, new DareContentMeta { UniqueId = "x", Event = operation }, U("v"));
        Assert.Contains(message, Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void A_frame_without_ContentMetaData_or_UniqueId_is_refused()
    {
        var noMeta = DareCatalog.Create();
        noMeta.Sequence.Append(U("v"));
        Assert.Contains("no ContentMetaData", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(noMeta.ToArray())).Message);
        var noId = DareCatalog.Create();
        var bytes = Forge(noId, new DareContentMeta { Event = DareCatalogEvent.New }, U("v"));
        Assert.Contains("no UniqueId", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void A_frame_whose_Previous_or_First_names_the_wrong_frame_is_refused()
    {
        var catalog = DareCatalog.Create();
        catalog.New("x", U("v1"));
        catalog.Update("x", U("v2"));
        var wrongPrevious = DareCatalog.Open(catalog.ToArray());
        var bytes = Forge(wrongPrevious, new DareContentMeta { UniqueId = "x", Event = DareCatalogEvent.Update, First = 1, Previous = 1 }, U("v3"));
        Assert.Contains("previous value", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
        var wrongFirst = DareCatalog.Open(catalog.ToArray());
        bytes = Forge(wrongFirst, new DareContentMeta { UniqueId = "x", Event = DareCatalogEvent.Update, First = 2, Previous = 2 }, U("v3"));
        Assert.Contains("began at frame", Assert.Throws<MeshFormatException>(() => DareCatalog.Open(bytes)).Message);
    }

    [Fact]
    public void A_changed_payload_byte_in_a_stored_catalog_fails_the_sequence_check()
    {
        var catalog = DareCatalog.Create();
        catalog.New("x", U("the original value"));
        var bytes = catalog.ToArray();
        var at = bytes.AsSpan().IndexOf(U("original"));
        bytes[at] ^= 1;
        Assert.Throws<MeshCryptoException>(() => DareCatalog.Open(bytes));
    }

    [Fact]
    public void Every_catalog_frame_apex_is_signed_when_a_signer_is_given()
    {
        using var key = (SignatureKeyPair)KeyPair.Generate(MeshAlgorithms.Ed25519);
        var catalog = DareCatalog.Create(DareKeyPairs.Signer(key));
        catalog.New("x", U("v1"));
        catalog.Delete("x");
        var frames = DareSequence.ReadFrames(catalog.ToArray());
        Assert.All(frames.Skip(1), f => Assert.True(DareSequence.VerifyApexSignature(f.Trailer!, DareKeyPairs.Verifier(key))));
    }
}
