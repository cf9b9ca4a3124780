using System.Diagnostics;
using System.Text;
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

        var (tool, stderr) = await StartToolAndWaitAsync("Attached to process", "attach", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file);
        using (tool)
        {
            await TerminateAsync(tool);
            Assert.True(tool.ExitCode == 0, $"exit code {tool.ExitCode}; stderr: {stderr}");
            var report = ReportJson.Deserialize(File.ReadAllText(file), file);
            Assert.Equal("stopped", report.Session.EndReason);
            Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_TerminatesTheCommandWritesTheReportAndExits130_WhenStoppedBySigterm()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-signal-run").FullName, "report.json");
        var (tool, stderr) = await StartToolAndWaitAsync("tracing process", "run", "-o", file, "--", "dotnet", TargetProgram.Locate("AllocTarget"), "idle");
        using (tool)
        {
            await TerminateAsync(tool);
            Assert.True(tool.ExitCode == ExitCodes.Interrupted, $"exit code {tool.ExitCode}; stderr: {stderr}");
            var report = ReportJson.Deserialize(File.ReadAllText(file), file);
            Assert.Equal("stopped", report.Session.EndReason);
            Assert.Contains(report.Session.Notes, n => n.Contains("command was terminated", StringComparison.Ordinal));
        }
    }

    /// <summary>Starts `dotnet dotnet-alloctrack.dll args` and waits until its standard error says <paramref name="ready"/>.</summary>
    private static async Task<(Process Tool, StringBuilder Stderr)> StartToolAndWaitAsync(string ready, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(CliApp).Assembly.Location);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var tool = Process.Start(info)!;
        var stderr = new StringBuilder();
        tool.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        tool.BeginErrorReadLine();
        _ = tool.StandardOutput.ReadToEndAsync();

        var clock = Stopwatch.StartNew();
        while (!Contains(stderr, ready))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the tool never said '{ready}': {stderr}");
            await Task.Delay(50);
        }

        return (tool, stderr);
    }

    private static async Task TerminateAsync(Process tool)
    {
        using (var kill = Process.Start("kill", ["-TERM", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await tool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static bool Contains(StringBuilder text, string value)
    {
        lock (text)
        {
            return text.ToString().Contains(value, StringComparison.Ordinal);
        }
    }
}
