using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Attach;

/// <summary>The real executable, stopped the way a user or a CI runner stops it.</summary>
[Collection("processes")]
public class SignalTests
{
    [Fact]
    public async Task Run_TerminatesTheCommandWritesTheReportAndExits130_WhenStoppedBySigterm()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-signal-run").FullName, "report.json");
        using var tool = Tool.Start(["run", "-o", file, "--", "dotnet", TargetProgram.Locate("AllocTarget"), "idle"]);
        await tool.WaitForErrorAsync("tracing process");
        await tool.SignalAsync("TERM");
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Interrupted, $"exit code {tool.ExitCode}; stderr: {tool.ErrorText}");
        Assert.DoesNotContain("   at ", tool.ErrorText, StringComparison.Ordinal);
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.Contains(report.Session.Notes, n => n.Contains("command was terminated", StringComparison.Ordinal));
        Assert.Empty(tool.Marker.Survivors());
    }
}
