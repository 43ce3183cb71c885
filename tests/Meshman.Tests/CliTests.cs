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
