using Mesh.Client.Sync;
using Mesh.Client.Transport;
using Mesh.EndToEnd.Tests.Support;

namespace Mesh.EndToEnd.Tests;

/// <summary>Mesh.Client and meshman against the stack as processes, through the gateway over HTTPS.</summary>
public sealed class HelloTests(ProcessStack stack) : IClassFixture<ProcessStack>
{
    [Fact]
    public async Task Hello_through_the_gateway_is_signed_by_the_host_key_the_service_publishes()
    {
        using var http = stack.HttpClient();
        var client = new MeshServiceClient(http, stack.Endpoint);

        var hello = await client.HelloAsync();

        Assert.StartsWith("M", hello.ServiceUdf);
        Assert.StartsWith("M", hello.HostUdf);
        Assert.Contains("application/json", hello.Encodings);
        Assert.Same(hello, client.Hello);
    }

    [Fact]
    public async Task Meshman_account_hello_prints_the_UDFs_of_the_stack()
    {
        using var http = stack.HttpClient();
        var expected = await new MeshServiceClient(http, stack.Endpoint).HelloAsync();
        using var meshman = new MeshmanSession(new HttpMeshConnector(http));

        var (code, lines, error) = meshman.RunWithoutHome("account", "hello", $"https://localhost:{stack.HttpsPort}");

        Assert.True(code == 0, error);
        Assert.StartsWith("MeshService ", lines[0]);
        Assert.Contains($"Service UDF = {expected.ServiceUdf}", lines);
        Assert.Contains($"Host UDF = {expected.HostUdf}", lines);
    }

    [Fact]
    public void Meshman_at_a_gateway_whose_certificate_it_does_not_trust_says_how_to_trust_it()
    {
        using var untrusting = new HttpClient();
        using var meshman = new MeshmanSession(new HttpMeshConnector(untrusting));

        var (code, _, error) = meshman.RunWithoutHome("account", "hello", $"https://localhost:{stack.HttpsPort}");

        Assert.NotEqual(0, code);
        Assert.Contains("TLS failed", error);
        Assert.Contains("SSL_CERT_FILE", error);
    }
}
