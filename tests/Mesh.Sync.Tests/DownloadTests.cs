using System.Text.Json.Nodes;
using Mesh.Core.Schema;
using Mesh.Sync.Domain;
using Mesh.Sync.Tests.Support;

namespace Mesh.Sync.Tests;

/// <summary>The fixture caps a response at 5 entries and 8192 bytes.</summary>
public sealed class DownloadTests(SyncServer server) : IClassFixture<SyncServer>
{
    async Task<string> AccountWithAsync(string store, int entries, int payloadBytes = 10)
    {
        var account = SyncCalls.NewAccount();
        await server.Client.CreateAccountAsync(account);
        var payloads = Enumerable.Range(0, entries).Select(i => Enumerable.Repeat((byte)i, payloadBytes).ToArray()).ToArray();
        var (update, _) = new DeviceStore(store).Update(payloads);
        Assert.Equal(MeshStatus.Success, (await server.Client.CallAsync<TransactResponse>(new TransactRequest { Updates = [update] }, SyncServer.DeviceOf(account))).Status);
        return account;
    }

    Task<DownloadResponse> Download(string account, DownloadRequest request) =>
        server.Client.CallAsync<DownloadResponse>(request, SyncServer.DeviceOf(account));

    static long IndexOf(Enveloped envelope) => Mesh.Core.Dare.DareHeader.Read(envelope.Header).SequenceInfo!.Index!.Value;

    [Fact]
    public async Task Download_selects_by_index_range_and_reports_the_store_status()
    {
        var account = await AccountWithAsync("Contact", 4);

        var response = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Contact", IndexMin = 1, IndexMax = 2 }] });

        var update = Assert.Single(response.Updates!);
        Assert.Equal([1L, 2L], update.Envelopes!.Select(IndexOf));
        Assert.Equal(3, update.Index);
        Assert.Null(update.Partial);
    }

    [Fact]
    public async Task Download_beyond_the_cap_returns_a_page_key_that_continues_the_query()
    {
        var account = await AccountWithAsync("Inbound", 12);
        var select = new DownloadRequest { Select = [new ConstraintsSelect { Container = "Inbound", IndexMin = 1 }] };

        var seen = new List<long>();
        var pages = 0;
        while (true)
        {
            var json = await server.Client.CallJsonAsync(select, SyncServer.DeviceOf(account));
            var response = Mesh.Core.Json.MeshJson.Deserialize<DownloadResponse>(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
            var update = Assert.Single(response.Updates!);
            Assert.True(update.Envelopes!.Count <= 5);
            seen.AddRange(update.Envelopes!.Select(IndexOf));
            pages++;
            var pageKey = json["DownloadResponse"]!["Updates"]![0]!["PageKey"]?.GetValue<string>();
            if (pageKey is null) break;
            Assert.True(update.Partial);
            select = new DownloadRequest { Select = [new ConstraintsSelect { PageKey = pageKey }] };
        }

        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Download_honours_MaxEntries_below_the_cap()
    {
        var account = await AccountWithAsync("Task", 4);

        var response = await Download(account, new DownloadRequest
        {
            Select = [new ConstraintsSelect { Container = "Task" }],
            ConstraintsPost = new ConstraintsData { MaxEntries = 2 },
        });

        var update = Assert.Single(response.Updates!);
        Assert.Equal([0L, 1L], update.Envelopes!.Select(IndexOf));
        Assert.True(update.Partial);
    }

    [Fact]
    public async Task Download_stops_at_the_byte_cap_even_when_entries_remain_under_the_entry_cap()
    {
        var account = await AccountWithAsync("Local", 4, payloadBytes: 2500);

        var response = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Local" }] });

        var update = Assert.Single(response.Updates!);
        Assert.Equal(2, update.Envelopes!.Count);
        Assert.True(update.Partial);
    }

    [Fact]
    public async Task Download_returns_only_the_parts_asked_for_and_a_slice_of_the_payload()
    {
        var account = await AccountWithAsync("Bookmark", 1, payloadBytes: 100);

        var response = await Download(account, new DownloadRequest
        {
            Select = [new ConstraintsSelect { Container = "Bookmark" }],
            ConstraintsPost = new ConstraintsData { Payload = true, BytesOffset = 10, BytesMax = 20 },
        });

        var envelope = Assert.Single(Assert.Single(response.Updates!).Envelopes!);
        Assert.Equal(20, envelope.Payload!.Length);
        Assert.Null(envelope.Trailer);
        Assert.Empty(envelope.Header.EnumerateObject());
    }

    [Fact]
    public async Task Download_filters_by_receipt_time()
    {
        var account = await AccountWithAsync("Device", 2);
        var future = DateTime.UtcNow.AddHours(1);

        var later = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Device", NotBefore = future }] });
        var earlier = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Device", Before = future }] });

        Assert.Empty(Assert.Single(later.Updates!).Envelopes!);
        Assert.Equal(2, Assert.Single(earlier.Updates!).Envelopes!.Count);
    }

    [Theory]
    [InlineData(-1, null, "IndexMin is -1")]
    [InlineData(5, 2, "IndexMax 2 is below IndexMin 5")]
    [InlineData(null, -3, "IndexMax is -3")]
    public async Task Download_with_absurd_index_bounds_is_a_bad_request(int? min, int? max, string problem)
    {
        var account = await AccountWithAsync("Contact", 1);

        var response = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Contact", IndexMin = min, IndexMax = max }] });

        Assert.Equal(MeshStatus.BadRequest, response.Status);
        Assert.Contains(problem, response.StatusDescription);
    }

    [Fact]
    public async Task Download_with_zero_MaxEntries_or_a_forged_page_key_or_unknown_store_is_refused()
    {
        var account = await AccountWithAsync("Contact", 1);

        var zero = await Download(account, new DownloadRequest { ConstraintsPost = new ConstraintsData { MaxEntries = 0 } });
        var forged = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { PageKey = "not-a-key" }] });
        var unknown = await Download(account, new DownloadRequest { Select = [new ConstraintsSelect { Container = "Recipes" }] });
        var backwards = await Download(account, new DownloadRequest
        {
            Select = [new ConstraintsSelect { Container = "Contact", NotBefore = DateTime.UtcNow, Before = DateTime.UtcNow.AddDays(-1) }],
        });

        Assert.Equal(MeshStatus.BadRequest, zero.Status);
        Assert.Contains("MaxEntries is 0", zero.StatusDescription);
        Assert.Equal(MeshStatus.BadRequest, forged.Status);
        Assert.Contains("not a page key", forged.StatusDescription);
        Assert.Equal(MeshStatus.NotFound, unknown.Status);
        Assert.Equal(MeshStatus.BadRequest, backwards.Status);
        Assert.Contains("is not after NotBefore", backwards.StatusDescription);
    }

    [Fact]
    public async Task Download_without_selection_reads_every_store_within_the_cap()
    {
        var account = await AccountWithAsync("Credential", 3);

        var response = await Download(account, new DownloadRequest());

        Assert.Equal(StoreNames.All, response.Updates!.Select(u => u.Container));
        Assert.Equal(3, response.Updates!.Single(u => u.Container == "Credential").Envelopes!.Count);
    }
}
