using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Storage;

namespace Mesh.Integration.Tests;

public sealed class MigrationFileTests
{
    public static TheoryData<string> Services => ServiceCatalog.Names;

    [Theory, MemberData(nameof(Services))]
    public void Each_service_embeds_its_migrations_in_order_starting_with_its_own_schema(string service)
    {
        var migrations = Migration.FromAssembly(ServiceCatalog.AssemblyOf(service));

        Assert.NotEmpty(migrations);
        Assert.Equal("0001_create_schema", migrations[0].Version);
        Assert.Contains($"SCHEMA {service} ", migrations[0].Sql);
        Assert.Equal(migrations.Select(m => m.Version).Order(StringComparer.Ordinal), migrations.Select(m => m.Version));
    }

    [Fact]
    public void A_migration_s_checksum_ignores_line_endings_but_not_content()
    {
        var unix = new Migration("0001_x", "CREATE TABLE a.t (id int);\nCREATE TABLE a.u (id int);\n");
        var windows = new Migration("0001_x", "CREATE TABLE a.t (id int);\r\nCREATE TABLE a.u (id int);\r\n");
        var changed = new Migration("0001_x", "CREATE TABLE a.t (id bigint);\nCREATE TABLE a.u (id int);\n");

        Assert.Equal(unix.Checksum, windows.Checksum);
        Assert.NotEqual(unix.Checksum, changed.Checksum);
    }

    [Fact]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused()
    {
        using var dataSource = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1");
        var error = Assert.Throws<MigrationException>(() =>
            new MigrationRunner(dataSource, "account; DROP TABLE x", [], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("account; DROP TABLE x", error.Message);
    }
}
