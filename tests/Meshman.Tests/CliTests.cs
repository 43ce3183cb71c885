namespace Meshman.Tests;

public class CliTests
{
    [Fact]
    public void Unknown_command_fails_with_a_message()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(["no-such-command"], output, error);
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-command", error.ToString());
    }
}

public class EncodingSettingTests
{
    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("", "application/json")]
    [InlineData("json-b", "application/json-b")]
    [InlineData("JSON-C", "application/json-c")]
    [InlineData("application/json-b", "application/json-b")]
    public void MESH_ENCODING_names_the_request_content_type(string? setting, string contentType) =>
        Assert.Equal(contentType, ServiceConnectors.MediaType(setting).Name);

    [Fact]
    public void An_unknown_MESH_ENCODING_is_a_clear_error()
    {
        var error = Assert.Throws<Mesh.Client.MeshClientException>(() => ServiceConnectors.MediaType("xml"));
        Assert.Contains("MESH_ENCODING='xml' is not an encoding", error.Message);
    }
}
