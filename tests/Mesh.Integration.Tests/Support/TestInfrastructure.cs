namespace Mesh.Integration.Tests.Support;

/// <summary>
/// The PostgreSQL and RabbitMQ that ./mesh test starts for the run, passed in environment
/// variables. Absent variables fail the test: these tests never pass without real infrastructure.
/// </summary>
internal static class TestInfrastructure
{
    public const string PostgresVariable = "MESH_TEST_PG";
    public const string RabbitVariable = "MESH_TEST_RABBIT";

    /// <summary>Npgsql connection string of a role allowed to create databases.</summary>
    public static string Postgres => Read(PostgresVariable);

    /// <summary>AMQP URI of the test broker.</summary>
    public static string Rabbit => Read(RabbitVariable);

    private static string Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Integration tests run against the PostgreSQL and RabbitMQ that './mesh test' starts: run ./mesh test.");
}
