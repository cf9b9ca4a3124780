using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Tests.Check;

public class CheckCommandTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-check").FullName;

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteReport(string name, long renderBytes) => Write(name, ReportJson.Serialize(new AllocationReport
    {
        Groups = [new GroupReport { Id = 1, Name = "parse", AllocatedBytes = 1_000_000 }, new GroupReport { Id = 2, Name = "render", AllocatedBytes = renderBytes }],
    }));

    private static async Task<(int Code, TestConsole Console)> Check(params string[] args)
    {
        var console = new TestConsole();
        return (await CliApp.RunAsync(["check", .. args], console), console);
    }

    [Fact]
    public async Task Check_Passes_WhenNoGroupGrewBeyondTheLimit()
    {
        var (code, console) = await Check(WriteReport("r.json", 1_040_000), "--baseline", WriteReport("b.json", 1_000_000));
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("Gate passed", console.OutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_FailsNamingTheGroup_WhenAGroupGrew()
    {
        var (code, console) = await Check(WriteReport("r.json", 2_000_000), "--baseline", WriteReport("b.json", 1_000_000), "--format", "markdown");
        Assert.Equal(ExitCodes.GateFailed, code);
        Assert.Contains("| **FAIL** | render |", console.OutText, StringComparison.Ordinal);
        Assert.DoesNotContain("| **FAIL** | parse |", console.OutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AcceptsAnAbsoluteIncrease_WhenGivenASize()
    {
        var (code, _) = await Check(WriteReport("r.json", 1_500_000), "--baseline", WriteReport("b.json", 1_000_000), "--max-increase", "512KB");
        Assert.Equal(ExitCodes.Success, code);
    }

    [Fact]
    public async Task Check_ChecksABudgetWithoutBaseline()
    {
        string budget = Write("budget.json", """{ "schemaVersion": 1, "groups": { "render": { "maxAllocatedBytes": "1MB" } } }""");
        Assert.Equal(ExitCodes.Success, (await Check(WriteReport("ok.json", 1_000_000), "--budget", budget)).Code);
        Assert.Equal(ExitCodes.GateFailed, (await Check(WriteReport("over.json", 2_000_000), "--budget", budget)).Code);
    }

    [Fact]
    public async Task UpdateBaseline_WritesTheReportAsTheBaseline_AndItParsesBack()
    {
        string baseline = Path.Combine(_dir, "new-baseline.json");
        var (code, _) = await Check(WriteReport("r.json", 1_234_567), "--baseline", baseline, "--update-baseline");
        Assert.Equal(ExitCodes.Success, code);
        var written = ReportJson.Deserialize(File.ReadAllText(baseline), "new-baseline.json");
        Assert.Equal(1_234_567, written.Groups.Single(g => g.Name == "render").AllocatedBytes);
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "{ \"schemaVersion\": 1, \"groups\": [ { \"name\": \"x\", ", "malformed or truncated" },
        { "{ \"schemaVersion\": 7, \"groups\": [] }", "schema version 7 is not supported" },
        { "{ \"hello\": \"world\" }", "not a dotnet-alloctrack report" },
        { "not json at all", "malformed" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Check_ExitsWithUsageErrorAndOneLine_WhenTheBaselineIsBad(string content, string expected)
    {
        var (code, console) = await Check(WriteReport("r.json", 1), "--baseline", Write("bad.json", content));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(expected, console.ErrorText, StringComparison.Ordinal);
        Assert.Single(console.ErrorText.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExitsWithUsageError_WhenTheReportIsTruncated()
    {
        string full = File.ReadAllText(WriteReport("full.json", 5));
        var (code, console) = await Check(Write("cut.json", full[..(full.Length / 2)]), "--baseline", WriteReport("b.json", 5));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("cut.json: malformed or truncated JSON", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExitsWithUsageError_WhenAFileIsMissing()
    {
        var (code, console) = await Check(WriteReport("r.json", 5), "--baseline", Path.Combine(_dir, "missing.json"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("no such file", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExitsWithUsageError_WhenTheBudgetIsMalformed()
    {
        var (code, console) = await Check(WriteReport("r.json", 5), "--budget", Write("budget.json", """{ "schemaVersion": 1, "groups": { "a": { "maxAllocatedBytes": "lots" } } }"""));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("budget.json: 'a'.maxAllocatedBytes", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExitsWithUsageError_WhenNothingToCheckAgainst()
    {
        var (code, console) = await Check(WriteReport("r.json", 5));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--baseline", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExitsWithUsageError_WhenMaxIncreaseIsMalformed()
    {
        var (code, _) = await Check(WriteReport("r.json", 5), "--baseline", WriteReport("b.json", 5), "--max-increase", "lots");
        Assert.Equal(ExitCodes.UsageError, code);
    }
}
