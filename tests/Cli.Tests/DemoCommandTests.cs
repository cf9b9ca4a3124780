using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Tests;

[Collection("processes")]
public class DemoCommandTests
{
    [Fact]
    public async Task Demo_ReportsEveryDemoGroupWithExactAndEstimatedBytes_WhenRun()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["demo", "--duration", "2s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        Assert.Equal("demo", report.Session.Mode);
        Assert.Equal(0, report.Session.EventsLost);
        foreach (string name in new[] { "orders/parse", "cache/fill", "images/thumbnail" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.True(group.AllocatedBytes > 0, name);
            Assert.True(group.Samples > 0, name);
            // Exact and estimate measure the same thing: they agree within the estimate's interval, widened to 4σ.
            double halfWidth = (group.EstimatedBytesHigh!.Value - group.EstimatedBytesLow!.Value) / 2.0;
            Assert.True(Math.Abs(group.EstimatedBytes - (group.AllocatedBytes ?? 0)) <= halfWidth * 4 / 1.96 + 512 * 1024, $"{name}: {group.EstimatedBytes} vs {group.AllocatedBytes}");
        }
    }

    [Fact]
    public async Task Demo_WithStacks_GivesEveryGroupNamedCallPaths_ThatAddUpToItsEstimate()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["demo", "--stacks", "--duration", "2s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        foreach (string name in new[] { "orders/parse", "cache/fill", "images/thumbnail" })
        {
            var group = Assert.Single(report.Groups, g => g.Name == name);
            Assert.NotNull(group.CallPaths);
            Assert.InRange(group.CallPaths!.Sum(p => p.EstimatedBytes), group.EstimatedBytes - group.CallPaths!.Count, group.EstimatedBytes + group.CallPaths!.Count);

            // The demo's own code allocates in every group: its frames are named, with the tool's module.
            Assert.Contains(group.CallPaths!, p => p.Frames.Any(f => f.Method.StartsWith("TrackingProfiler.Cli.Demo.DemoWorkload", StringComparison.Ordinal) && f.Module == "dotnet-alloctrack.dll"));
        }

        // The workload holds when done, so the session is stopped while it lives and its rundown names every frame.
        Assert.DoesNotContain(report.Session.Notes, n => n.Contains("could not be named", StringComparison.Ordinal));
    }
}
