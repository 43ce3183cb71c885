using System.Net;
using System.Net.Http.Headers;
using Mesh.Core.Schema;
using Mesh.Gateway.Dispatch;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Task = System.Threading.Tasks.Task;

namespace Mesh.Integration.Tests;

/// <summary>The gateway's Hello cache (ADR 0007): what reaches the account service, and for how long an answer is kept.</summary>
public sealed class HelloCacheTests
{
    private static async Task<(HttpStatusCode Status, byte[] Body)> HelloAsync(MeshStack stack)
    {
        using var client = stack.Client(HttpVersion.Version11);
        var content = new ByteArrayContent(MeshMessages.Envelope("{\"HelloRequest\":{}}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/.well-known/mmm", content);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    private static int HellosAnswered(MeshStack stack) =>
        stack.Accounts[0].Logs.Entries.Count(e => e.Message.StartsWith("Hello answered", StringComparison.Ordinal));

    [Fact]
    public async Task Within_its_lifetime_the_kept_answer_is_served_without_asking_the_account_service_even_when_it_is_down()
    {
        await using var stack = await MeshStack.StartAsync(helloCacheSeconds: 600);

        var first = await HelloAsync(stack);
        var second = await HelloAsync(stack);
        Assert.Equal(1, HellosAnswered(stack));
        await stack.StopAccountsAsync();
        var third = await HelloAsync(stack);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(HttpStatusCode.Created, third.Status);
        Assert.Equal(first.Body, third.Body);
        var (_, payload) = MeshMessages.Open(third.Body);
        Assert.IsType<MeshHelloResponse>(payload);
    }

    [Fact]
    public async Task Once_the_lifetime_has_passed_the_account_service_is_asked_again()
    {
        await using var stack = await MeshStack.StartAsync(helloCacheSeconds: 1);

        Assert.Equal(HttpStatusCode.Created, (await HelloAsync(stack)).Status);
        Assert.Equal(1, HellosAnswered(stack));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(HttpStatusCode.Created, (await HelloAsync(stack)).Status);

        Assert.Equal(2, HellosAnswered(stack));
    }

    [Fact]
    public void Only_a_success_is_kept()
    {
        var cache = new HelloCache(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { [ConfigKeys.HelloCacheSeconds] = "600" }).Build(), TimeProvider.System);

        cache.Keep("{\"MeshResponse\":{\"Status\":503,\"StatusDescription\":\"No account replica is available\"}}"u8.ToArray());
        Assert.False(cache.TryGet(out _));
        var hello = "{\"MeshHelloResponse\":{\"Status\":201}}"u8.ToArray();
        cache.Keep(hello);

        Assert.True(cache.TryGet(out var kept));
        Assert.Equal(hello, kept);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("five")]
    public void A_lifetime_that_is_not_a_whole_number_of_seconds_is_refused_at_start(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { [ConfigKeys.HelloCacheSeconds] = value }).Build();

        var error = Assert.Throws<MeshConfigurationException>(() => new HelloCache(configuration, TimeProvider.System));
        Assert.Contains(ConfigKeys.HelloCacheSeconds, error.Message);
    }

    [Fact]
    public async Task With_the_cache_off_every_Hello_reaches_the_account_service()
    {
        await using var stack = await MeshStack.StartAsync(helloCacheSeconds: 0);

        await HelloAsync(stack);
        await HelloAsync(stack);

        Assert.Equal(2, HellosAnswered(stack));
    }
}
