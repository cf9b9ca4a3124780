using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests;

/// <summary>Every documented option does what its help says, through the real entry point.</summary>
[Collection("processes")]
public class CliOptionsTests
{
    private static readonly string s_sample = TargetProgram.Locate("GateSample");
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-options").FullName;

    public static TheoryData<string> Formats => new() { "table", "json", "markdown", "csv" };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Run_WritesEachFormat_WhenAskedWithFormat(string format)
    {
        var console = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["run", "--format", format, "--", "dotnet", s_sample], console));
        AssertIsFormat(format, console.OutText, "run");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Attach_WritesEachFormat_WhenAskedWithFormat(string format)
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        var console = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["attach", target.Id.ToString(CultureInfo.InvariantCulture), "--duration", "500ms", "--format", format], console));
        AssertIsFormat(format, console.OutText, "attach");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Demo_WritesEachFormat_WhenAskedWithFormat(string format)
    {
        var console = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["demo", "--duration", "1s", "--format", format], console));
        AssertIsFormat(format, console.OutText, "demo");
    }

    [Theory]
    [InlineData("table", "Gate passed")]
    [InlineData("markdown", "| --- |")]
    [InlineData("json", "\"passed\": true")]
    public async Task Check_WritesEachFormat_WhenAskedWithFormat(string format, string expected)
    {
        var console = new TestConsole();
        Assert.Equal(0, await CliApp.RunAsync(["check", Report("r.json", ("a", 100)), "--baseline", Report("b.json", ("a", 100)), "--format", format], console));
        Assert.Contains(expected, console.OutText, StringComparison.Ordinal);
        if (format == "json")
        {
            using var _ = System.Text.Json.JsonDocument.Parse(console.OutText);
        }
    }

    [Theory]
    [InlineData("r.json", "json")]
    [InlineData("r.md", "markdown")]
    [InlineData("r.csv", "csv")]
    [InlineData("r.txt", "table")]
    public async Task Run_InfersTheFormatFromTheOutputExtension_WhenNoFormatIsGiven(string name, string format)
    {
        string file = Path.Combine(_dir, name);
        Assert.Equal(0, await CliApp.RunAsync(["run", "-o", file, "--", "dotnet", s_sample], new TestConsole()));
        AssertIsFormat(format, File.ReadAllText(file), "run");
    }

    [Theory]
    [InlineData("none", "none")]
    [InlineData("tick", "tick")]
    [InlineData("randomized", "randomized")]
    [InlineData("auto", "randomized")] // the runtime here is .NET 10
    public async Task Run_UsesTheSamplingAskedFor_WhenSamplingIsGiven(string sampling, string reported)
    {
        string file = Path.Combine(_dir, $"sampling-{sampling}.json");
        Assert.Equal(0, await CliApp.RunAsync(["run", "--sampling", sampling, "--buffer-size", "16", "-o", file, "--", "dotnet", s_sample], new TestConsole()));
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal(reported, report.Session.SamplingMode);
        var parse = report.Groups.Single(g => g.Name == "parse");
        Assert.True(parse.AllocatedBytes > 0); // exact bytes need no sampling
        if (sampling == "none")
        {
            Assert.Equal(0, parse.Samples);
        }
        else
        {
            Assert.True(parse.Samples > 0, $"{sampling}: no samples");
        }
    }

    [Theory]
    [InlineData(8, "tick")]
    [InlineData(9, "tick")]
    [InlineData(10, "randomized")]
    [InlineData(11, "randomized")]
    [InlineData(null, "randomized")]
    public void AutoSampling_FallsBackToTick_BeforeDotnet10(int? major, string expected)
    {
        // Only .NET 10 is installed here, so the fallback is checked where it is decided.
        Assert.Equal(expected, ProviderSet.Resolve(SamplingMode.Auto, major).ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task Run_RefusesABufferSizeOutOfRange_WhenBufferSizeIsZero()
    {
        var console = new TestConsole();
        Assert.Equal(ExitCodes.UsageError, await CliApp.RunAsync(["run", "--buffer-size", "0", "--", "dotnet", s_sample], console));
        Assert.Contains("--buffer-size", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_FailsOnANewGroup_OnlyWithFailOnNew()
    {
        string report = Report("new.json", ("a", 100), ("brand-new", 100));
        string baseline = Report("old.json", ("a", 100));
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["check", report, "--baseline", baseline], new TestConsole()));
        var console = new TestConsole();
        Assert.Equal(ExitCodes.GateFailed, await CliApp.RunAsync(["check", report, "--baseline", baseline, "--fail-on-new"], console));
        Assert.Contains("brand-new", console.OutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateBaseline_ReplacesAnExistingBaseline_WhenTheGatePasses()
    {
        string baseline = Report("existing.json", ("a", 1_000_000));
        string report = Report("current.json", ("a", 1_040_000));
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["check", report, "--baseline", baseline, "--update-baseline"], console));
        var written = ReportJson.Deserialize(File.ReadAllText(baseline), baseline);
        Assert.Equal(1_040_000, Assert.Single(written.Groups).AllocatedBytes);
        Assert.Contains("Baseline updated", console.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    private static void AssertIsFormat(string format, string text, string mode)
    {
        switch (format)
        {
            case "json":
                Assert.Equal(mode, ReportJson.Deserialize(text, "output").Session.Mode);
                break;
            case "markdown":
                Assert.Contains("| --- |", text, StringComparison.Ordinal);
                Assert.Contains("| Group |", text, StringComparison.Ordinal);
                break;
            case "csv":
                Assert.StartsWith("processId,groupId,name,", text, StringComparison.Ordinal);
                break;
            default:
                Assert.StartsWith($"dotnet-alloctrack — {mode} pid ", text, StringComparison.Ordinal);
                break;
        }
    }

    private string Report(string name, params (string Name, long Bytes)[] groups)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, ReportJson.Serialize(new AllocationReport
        {
            Groups = [.. groups.Select((g, i) => new GroupReport { Id = i + 1, Name = g.Name, AllocatedBytes = g.Bytes })],
        }));
        return path;
    }
}
