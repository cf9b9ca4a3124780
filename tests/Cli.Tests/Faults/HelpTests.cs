namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>What a new user reads in --help matches the docs.</summary>
public class HelpTests
{
    private static async Task<string> HelpAsync(string command)
    {
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync([command, "--help"], console));
        return console.OutText;
    }

    [Theory]
    [InlineData("attach", "--format <table|json|markdown|csv>")]
    [InlineData("attach", "--sampling <auto|randomized|tick|none>")]
    [InlineData("run", "--format <table|json|markdown|csv>")]
    [InlineData("check", "--format <table|markdown|json>")]
    public async Task Help_ShowsEnumValuesInLowerCase_AsTheDocsDo(string command, string expected)
    {
        string help = await HelpAsync(command);
        Assert.Contains(expected, help, StringComparison.Ordinal);
        Assert.DoesNotContain("Csv|Json", help, StringComparison.Ordinal);
        Assert.DoesNotContain("Auto|None", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_StatesTheMaxIncreaseDefaultOnce()
    {
        string line = (await HelpAsync("check")).Split('\n').Single(l => l.Contains("--max-increase", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "[Dd]efault"));
        Assert.Contains("Default: 5%.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunHelp_PutsOptionsBeforeTheDoubleDash_InItsUsageLine()
    {
        string help = await HelpAsync("run");
        Assert.Contains(" run [options] -- <command>...", help, StringComparison.Ordinal);
        Assert.DoesNotContain("<command>... [options]", help, StringComparison.Ordinal);
    }
}
