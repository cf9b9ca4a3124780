namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>The shape every expected failure must have: its documented code, exactly one stderr line, no stack trace.</summary>
internal static class FaultAssert
{
    public static async Task<TestConsole> FailsAsync(int expectedCode, string expectedText, params string[] args)
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(args, console);
        OneLine(console.ErrorText, code, expectedCode, expectedText);
        return console;
    }

    public static void OneLine(string stderr, int code, int expectedCode, string expectedText)
    {
        Assert.True(code == expectedCode, $"exit code {code}, expected {expectedCode}; stderr: {stderr}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}: {stderr}");
        Assert.StartsWith("dotnet-alloctrack: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expectedText, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
