using System.Globalization;
using System.Text.RegularExpressions;
using TrackingProfiler.Cli.Tests.GroupBy;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;
using Xunit.Abstractions;

namespace TrackingProfiler.Cli.Tests.Run;

/// <summary>
/// <c>run --group-by requests -- &lt;ASP.NET Core app&gt;</c> end to end through the built executable: the app starts
/// paused before Main, the tool traces and resumes it, the test drives a bounded load, then ends the app the way it is
/// made to end (its standard input, which run passes through, closes), and the report is checked against the truth the
/// app measured itself from its first instruction.
/// </summary>
[Collection("processes")]
public partial class RunRequestsTests(ITestOutputHelper output)
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-run-requests").FullName;

    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net9.0", 9)]
    [InlineData("net10.0", 10)]
    public async Task Run_GivesOneGroupPerRouteWithin15Percent_AndTheProcessTotalWithin2Percent_FromTheFirstInstructionToTheAppsEnd(string framework, int major)
    {
        string[] app = framework == "net10.0"
            ? ["dotnet", TargetProgram.Locate("RequestsTarget")]
            : [SelfContainedTarget.Locate(framework, "RequestsTarget")];

        // The app ends half a second after its input ends (the tool passes its own input through), so that a reading of
        // the process total (every 0.1 s under run, docs/run.md) covers the end of the load.
        string file = Path.Combine(_dir, $"run-{framework}.json");
        using var tool = Tool.Start(["run", "--group-by", "requests", "--format", "json", "-o", file, "--", .. app]);

        string url = await tool.WaitForOutputLineAsync("LISTENING ");
        int pid = int.Parse(TracingLine().Match(tool.ErrorText).Groups[1].Value, CultureInfo.InvariantCulture);

        // It was started to pause before Main, and runs: the tool resumed it.
        string environment = await File.ReadAllTextAsync($"/proc/{pid}/environ");
        Assert.Contains("\0DOTNET_DefaultDiagnosticPortSuspend=1\0", "\0" + environment, StringComparison.Ordinal);

        using (var http = new HttpClient { BaseAddress = new Uri(url) })
        {
            await RequestsTargetLoad.DriveAsync(http);
            var after = await RequestsTargetLoad.TruthAsync(http);
            tool.CloseInput();
            await tool.WaitForExitAsync();

            Assert.True(tool.ExitCode == 0, $"exit code {tool.ExitCode}: {tool.ErrorText}");
            var report = ReportJson.Deserialize(await File.ReadAllTextAsync(file), file);
            Assert.Equal("run", report.Session.Mode);
            Assert.Equal(0, report.Session.ExitCode);
            Assert.Equal(pid, Assert.Single(report.Session.Processes, p => p.Traced).ProcessId);
            Assert.StartsWith($"{major}.", report.Session.RuntimeVersion, StringComparison.Ordinal);
            Assert.Equal(major < 10 ? "tick" : "randomized", report.Session.SamplingMode);
            Assert.Equal("requests", report.Session.GroupBy);
            RequestsLoad.AssertMatches(report, before: null, after, output);
        }
    }

    [GeneratedRegex(@"tracing process (\d+)")]
    private static partial Regex TracingLine();
}
