using System.Net;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests;

public sealed class ReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Services => ServiceCatalog.Names;

    [Theory, MemberData(nameof(Services))]
    public async Task Service_reports_ready_once_its_schema_is_migrated_on_the_real_PostgreSQL(string service)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = InProcessService.Start(service, database.ConnectionString, TestInfrastructure.Rabbit);

        var report = await Health.AwaitAsync(host.Client, HttpStatusCode.OK, Patience);

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("Healthy", report.CheckStatus("postgres"));
        Assert.Equal("Healthy", report.CheckStatus("schema"));
        Assert.Contains($"'{service}'", report.CheckDescription("schema"));
        var expected = new List<string> { "postgres", "schema" };
        if (ServiceCatalog.Get(service).UsesBus) expected.Add("bus");
        // The account service is ready only once its service and host profiles are loaded.
        if (service == MeshServices.Account.Name) expected.Add("profiles");
        Assert.Equal(expected.Order(), report.Checks.Order());
    }

    [Theory, MemberData(nameof(Services))]
    public async Task Service_is_live_but_not_ready_while_PostgreSQL_is_unreachable(string service)
    {
        var closed = $"Host=127.0.0.1;Port={FreePort.Next()};Database=mesh;Username=mesh;Password=unused;Timeout=2";
        await using var host = InProcessService.Start(service, closed, TestInfrastructure.Rabbit);

        var ready = await Health.GetAsync(host.Client);
        var live = await Health.GetAsync(host.Client, "/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", ready.CheckStatus("postgres"));
        Assert.StartsWith("PostgreSQL is unreachable", ready.CheckDescription("postgres"));
        Assert.Equal("Unhealthy", ready.CheckStatus("schema"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Service_becomes_ready_when_its_database_appears_after_it_started()
    {
        await using var database = TestDatabase.Reserve();
        await using var host = InProcessService.Start(MeshServices.Account.Name, database.ConnectionString, TestInfrastructure.Rabbit);
        var before = await Health.GetAsync(host.Client);

        await database.CreateAsync(CancellationToken.None);
        var after = await Health.AwaitAsync(host.Client, HttpStatusCode.OK, Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
