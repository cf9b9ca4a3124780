using System.Diagnostics;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Attach;

/// <summary>The real executable, stopped the way a user or a CI runner stops it.</summary>
[Collection("processes")]
public class SignalTests
{
    [Fact]
    public async Task Attach_WritesTheReportAndExitsZero_WhenStoppedBySigterm()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-signal").FullName, "report.json");

        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (string arg in new[] { "attach", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file })
        {
            info.ArgumentList.Add(arg);
        }

        using var tool = Process.Start(info)!;
        var stderr = new System.Text.StringBuilder();
        tool.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        tool.BeginErrorReadLine();
        _ = tool.StandardOutput.ReadToEndAsync();

        var clock = Stopwatch.StartNew();
        while (!Contains(stderr, "Attached to process"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the tool never attached: " + stderr);
            await Task.Delay(50);
        }

        using (var kill = Process.Start("kill", ["-TERM", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(tool.ExitCode == 0, $"exit code {tool.ExitCode}; stderr: {stderr}");
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TerminatesTheCommandWritesTheReportAndExits130_WhenStoppedBySigterm()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-signal-run").FullName, "report.json");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in new[] { typeof(CliApp).Assembly.Location, "run", "-o", file, "--", "dotnet", TargetProgram.Locate("AllocTarget"), "idle" })
        {
            info.ArgumentList.Add(arg);
        }

        using var tool = Process.Start(info)!;
        var stderr = new System.Text.StringBuilder();
        tool.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        tool.BeginErrorReadLine();
        _ = tool.StandardOutput.ReadToEndAsync();

        var clock = Stopwatch.StartNew();
        while (!Contains(stderr, "tracing process"))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the tool never traced the command: " + stderr);
            await Task.Delay(50);
        }

        using (var kill = Process.Start("kill", ["-TERM", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(tool.ExitCode == ExitCodes.Interrupted, $"exit code {tool.ExitCode}; stderr: {stderr}");
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.Contains(report.Session.Notes, n => n.Contains("command was terminated", StringComparison.Ordinal));
    }

    private static bool Contains(System.Text.StringBuilder text, string value)
    {
        lock (text)
        {
            return text.ToString().Contains(value, StringComparison.Ordinal);
        }
    }
}
