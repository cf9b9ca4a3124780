using TrackingProfiler.Cli.Commands;

namespace TrackingProfiler.Cli.Tests;

public class DurationParsingTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("00:01:05", 65)]
    [InlineData("15", 15)]
    [InlineData("500ms", 0.5)]
    public void TryParseDuration_ReadsTheValue_WhenWrittenLikeDotnetTrace(string text, double seconds)
    {
        Assert.True(CommonOptions.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("-5s")]
    [InlineData("0s")]
    [InlineData("10x")]
    public void TryParseDuration_Refuses_WhenMalformed(string text)
    {
        Assert.False(CommonOptions.TryParseDuration(text, out _));
    }

    [Fact]
    public async Task Attach_ExitsWithUsageError_WhenDurationIsMalformed()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "1", "--duration", "soon"], console);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("not a duration", console.ErrorText, StringComparison.Ordinal);
    }
}
