using System.Diagnostics;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Examples;

/// <summary>The examples run as their READMEs say: docs that cannot drift from the code.</summary>
[Collection("processes")]
public class ExamplesTests
{
    [Fact]
    public async Task StdoutTracker_PrintsAttributedAllocationsAndTotals_WhenRun()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(TargetProgram.LocateExample("StdoutTracker"));
        using var process = Process.Start(info)!;
        string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("allocation: group=outer type=System.Byte[]", output, StringComparison.Ordinal);
        Assert.Contains("exact:      group=inner", output, StringComparison.Ordinal);
        Assert.Matches(@"outer\s+exact\s+1,00\d,\d{3} B", output); // 20 × 50,024 B, plus a few bytes of scope overhead
    }

    [Fact]
    public async Task GroupsInAsyncCode_ShowsItsGroups_WhenRunUnderTheTool()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-example").FullName, "r.json");
        int code = await CliApp.RunAsync(["run", "-o", file, "--", "dotnet", TargetProgram.LocateExample("GroupsInAsyncCode")], new TestConsole());
        Assert.Equal(0, code);
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        var requests = report.Groups.Single(g => g.Name == "requests");

        // 50 requests × (64 KB + 32 KB chars + 128 KB on the thread pool), plus small objects.
        long floor = 50L * ((64 * 1024) + (32 * 1024 * 2) + (128 * 1024));
        Assert.InRange(requests.AllocatedBytes ?? 0, floor, floor * 1.1);
        Assert.Contains(report.Groups, g => g.Name == "requests/parse" && g.AllocatedBytes > 0);
        Assert.Contains(report.Groups, g => g.Name == "logging" && g.AllocatedBytes > 0);
    }
}
