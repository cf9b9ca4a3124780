using TrackingProfiler.Cli.Commands;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Tests.Rendering;

public class FormatOptionTests
{
    [Theory]
    [InlineData("r.json", ReportFormat.Json)]
    [InlineData("r.speedscope.json", ReportFormat.Speedscope)]
    [InlineData("R.SPEEDSCOPE.JSON", ReportFormat.Speedscope)]
    [InlineData("r.md", ReportFormat.Markdown)]
    [InlineData("r.csv", ReportFormat.Csv)]
    [InlineData("r.pb.gz", ReportFormat.Pprof)]
    [InlineData("r.pprof", ReportFormat.Pprof)]
    [InlineData("r.html", ReportFormat.Html)]
    [InlineData("r.txt", ReportFormat.Table)]
    [InlineData("r.gz", ReportFormat.Table)]
    public void Format_IsInferredFromTheOutputName_WhenNotGiven(string name, ReportFormat expected)
    {
        Assert.Equal(expected, CommonOptions.ResolveFormat(null, new FileInfo(name)));
    }

    [Fact]
    public void Pprof_IsRefusedWithoutAFile_BeforeAnySession()
    {
        var e = Assert.Throws<ProfilerException>(() => CommonOptions.ResolveFormat(ReportFormat.Pprof, null));
        Assert.Equal(ProfilerErrorKind.Usage, e.Kind);
        Assert.Contains("-o", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_RefusesPprofOnTheConsole_WithOneLine()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "--format", "pprof", "-p", "999999"], console);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("dotnet-alloctrack: pprof is a binary format", console.ErrorText, StringComparison.Ordinal);
        Assert.Single(console.ErrorText.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Check_RefusesAProfileFormat_WithOneLine()
    {
        string dir = Directory.CreateTempSubdirectory("alloctrack-format").FullName;
        string report = Path.Combine(dir, "r.json");
        File.WriteAllText(report, ReportJson.Serialize(new AllocationReport { Groups = [new GroupReport { Id = 1, Name = "g", AllocatedBytes = 1 }] }));
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["check", report, "--baseline", report, "--format", "html"], console);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("not html", console.ErrorText, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }
}
