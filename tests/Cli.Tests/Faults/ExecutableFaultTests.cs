using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>Faults as the built executable meets them: real signals, a real non-root user, the process's own exit code.</summary>
[Collection("processes")]
public class ExecutableFaultTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-exe-faults").FullName;

    [Theory]
    [InlineData("attach", "1", "--buffer-size", "abc")]
    [InlineData("attach", "1", "--buffer-size", "1.5")]
    [InlineData("run", "--buffer-size", "99999999999", "--", "/bin/true")]
    public async Task Executable_ExitsUsageErrorWithOneLine_WhenAnOptionValueIsBad(params string[] args)
    {
        using var tool = ToolProcess.Start(args);
        await tool.WaitForExitAsync();
        FaultAssert.OneLine(tool.Stderr, tool.ExitCode, ExitCodes.UsageError, "--buffer-size");
    }

    [Fact]
    public async Task Attach_WritesTheReport_WhenCtrlCIsPressedTwiceInARow()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(_dir, "attach.json");

        using var tool = ToolProcess.Start(["attach", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file]);
        await tool.WaitForStderrAsync("Attached to process");
        await tool.SignalAsync("INT");
        await tool.SignalAsync("INT");
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Success, $"exit code {tool.ExitCode}; stderr: {tool.Stderr}");
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.DoesNotContain("   at ", tool.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WritesTheReport_WhenCtrlCIsPressedTwiceInARow()
    {
        string file = Path.Combine(_dir, "run.json");
        using var tool = ToolProcess.Start(["run", "-o", file, "--", "dotnet", TargetProgram.Locate("AllocTarget"), "idle"]);
        await tool.WaitForStderrAsync("tracing process");
        await tool.SignalAsync("INT");
        await tool.SignalAsync("INT");
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Interrupted, $"exit code {tool.ExitCode}; stderr: {tool.Stderr}");
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.DoesNotContain("   at ", tool.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Output_WritesToStandardOutput_WhenItIsDevStdoutAndTheUserIsNotRoot()
    {
        string report = Path.Combine(_dir, "r.json");
        File.WriteAllText(report, ReportJson.Serialize(new AllocationReport { Groups = [new GroupReport { Id = 1, Name = "parse", AllocatedBytes = 1000 }] }));
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(report, (UnixFileMode)0b110_100_100);

        // As root, drop to nobody: the case that failed was a user who cannot create files in /dev.
        string? user = Environment.UserName == "root" ? "nobody" : null;
        using var copy = user is null ? null : new WorldReadableTool(); // nobody may not read this checkout's folders
        using var tool = ToolProcess.Start(["check", report, "--baseline", report, "--format", "json", "-o", "/dev/stdout"], user, copy?.Dll);
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Success, $"exit code {tool.ExitCode}; stderr: {tool.Stderr}");
        Assert.Contains("\"passed\": true", tool.Stdout, StringComparison.Ordinal);
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
    }
}
