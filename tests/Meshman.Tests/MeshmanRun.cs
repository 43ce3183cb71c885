namespace Meshman.Tests;

/// <summary>Runs meshman in-process and keeps what it wrote.</summary>
internal sealed record MeshmanRun(int ExitCode, string Output, string Error)
{
    public static MeshmanRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return new MeshmanRun(code, output.ToString(), error.ToString());
    }

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Failures are a single line on stderr, without a stack trace, and a non-zero exit.</summary>
    public void AssertOneLineError(string expected)
    {
        Assert.NotEqual(0, ExitCode);
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", Error);
    }
}
