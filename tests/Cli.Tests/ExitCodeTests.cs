using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests;

/// <summary>
/// docs/exit-codes.md, row by row, through the real executable: the code, and for a failure exactly one line
/// <c>dotnet-alloctrack: ...</c> on standard error and no stack trace. (Codes 10–12 are tested with their features; 70 for
/// real, 7 before a session starts and 6 without TMPDIR in ExitPathTests;
/// 5 in PermissionTests.) Status lines the commands print while working (attach's "Attached to process ...", run's
/// "dotnet-alloctrack: tracing process ...") are not failure lines and are told apart by their text.
/// </summary>
[Collection("processes")]
public class ExitCodeTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-exit").FullName;

    [Fact]
    public async Task Code0_Success_WhenCheckPasses()
    {
        using var tool = await Tool.RunAsync("check", Report("r.json", 1_000), "--baseline", Report("b.json", 1_000));
        Assert.Equal(ExitCodes.Success, tool.ExitCode);
        Assert.Equal(string.Empty, tool.ErrorText);
        Assert.Contains("Gate passed", tool.OutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code1_GateFailed_WhenCheckFindsAGroupThatGrew()
    {
        using var tool = await Tool.RunAsync("check", Report("r.json", 2_000_000), "--baseline", Report("b.json", 1_000_000));
        Assert.Equal(ExitCodes.GateFailed, tool.ExitCode);
        Assert.DoesNotContain("   at ", tool.ErrorText, StringComparison.Ordinal);
        Assert.Contains("render", tool.OutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("attach", "--no-such-option")]
    [InlineData("run")]
    [InlineData("check")]
    [InlineData("demo", "--format", "yaml")]
    [InlineData("ps", "extra")]
    [InlineData("attach", "1", "--buffer-size", "0")]
    [InlineData("frobnicate")]
    public async Task Code2_UsageError_WithOneLine_WhenTheCommandLineIsBad(params string[] args)
    {
        using var tool = await Tool.RunAsync(args);
        AssertOneFailureLine(tool, ExitCodes.UsageError);
        Assert.Equal(string.Empty, tool.OutText);
    }

    [Fact]
    public async Task Code2_UsageError_WithOneLine_WhenAnInputFileIsMalformed()
    {
        string bad = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(bad, "{ \"schemaVersion\": 1, \"groups\": [ {");
        using var tool = await Tool.RunAsync("check", Report("r.json", 1), "--baseline", bad);
        AssertOneFailureLine(tool, ExitCodes.UsageError, "bad.json");
    }

    [Fact]
    public async Task Code3_NoSuchProcess_WhenThePidIsFree()
    {
        string pid = FreeProcessId.Find().ToString(CultureInfo.InvariantCulture);
        using var tool = await Tool.RunAsync("attach", pid);
        AssertOneFailureLine(tool, ExitCodes.NoSuchProcess, pid);
    }

    [Fact]
    public async Task Code3_NoSuchProcess_WhenNoProcessHasTheName()
    {
        string name = "no-such-program-" + Guid.NewGuid().ToString("N");
        using var tool = await Tool.RunAsync("attach", "--name", name);
        AssertOneFailureLine(tool, ExitCodes.NoSuchProcess, name);
    }

    [Fact]
    public async Task Code4_NotDotNet_WhenTheProcessHasNoCoreClr()
    {
        using var sleep = Process.Start("sleep", "60");
        try
        {
            using var tool = await Tool.RunAsync("attach", "-p", sleep.Id.ToString(CultureInfo.InvariantCulture));
            AssertOneFailureLine(tool, ExitCodes.NotDotNet);
        }
        finally
        {
            sleep.Kill();
        }
    }

    [Fact]
    public async Task Code6_DiagnosticsDisabled_WhenTheTargetDisabledThem()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"], new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        using var tool = await Tool.RunAsync("attach", target.Id.ToString(CultureInfo.InvariantCulture));
        AssertOneFailureLine(tool, ExitCodes.DiagnosticsDisabled);
    }

    [Fact]
    public async Task Code7_TargetExited_WithTheReportWritten_WhenTheTargetExitsDuringTheSession()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(_dir, "exited.json");
        using var tool = Tool.Start(["attach", target.Id.ToString(CultureInfo.InvariantCulture), "-o", file]);
        await tool.WaitForErrorAsync("Attached to process");
        await target.SendLineAsync();
        await tool.WaitForExitAsync();

        AssertOneFailureLine(tool, ExitCodes.TargetExited, "exited during the session");
        Assert.Equal("target-exited", ReportJson.Deserialize(await File.ReadAllTextAsync(file), file).Session.EndReason);
    }

    [Fact]
    public async Task Code8_NeverConnected_WhenTheCommandIsNotDotNet()
    {
        using var tool = await Tool.RunAsync("run", "--", "/bin/sh", "-c", "exit 0");
        AssertOneFailureLine(tool, ExitCodes.NeverConnected);
    }

    [Fact]
    public async Task Code8_NeverConnected_AndTheCommandIsEnded_WhenTheConnectTimeoutPasses()
    {
        string file = Path.Combine(_dir, "never.json");
        using var tool = await Tool.RunAsync(["run", "--connect-timeout", "1s", "-o", file, "--", "sleep", "300"], environment: null);
        AssertOneFailureLine(tool, ExitCodes.NeverConnected);
        Assert.Empty(tool.Marker.Survivors()); // the command (sleep) did not outlive the tool
        Assert.Equal("never-connected", ReportJson.Deserialize(await File.ReadAllTextAsync(file), file).Session.EndReason);
    }

    [Fact]
    public async Task Code9_LaunchFailed_WhenTheCommandDoesNotExist()
    {
        using var tool = await Tool.RunAsync("run", "--", "/no/such/program");
        AssertOneFailureLine(tool, ExitCodes.LaunchFailed, "/no/such/program");
    }

    [Fact]
    public async Task Code70_InternalError_WithOneLineNamingTheException_WhenACommandHasABug()
    {
        // No input makes a command fail by a bug on purpose: the guard every command runs in is exercised directly.
        var console = new TestConsole();
        int code = await Commands.CommandGuard.RunAsync(console, () => throw new InvalidOperationException("a bug"));
        Assert.Equal(ExitCodes.InternalError, code);
        string line = Assert.Single(console.ErrorText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("dotnet-alloctrack: internal error (InvalidOperationException: a bug)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code130_Interrupted_WithTheReportWritten_WhenRunIsStoppedBySigint()
    {
        string file = Path.Combine(_dir, "interrupted.json");
        using var tool = Tool.Start(["run", "-o", file, "--", "dotnet", TargetProgram.Locate("AllocTarget"), "idle"]);
        await tool.WaitForErrorAsync("tracing process");
        await tool.SignalAsync("INT");
        await tool.WaitForExitAsync();

        AssertOneFailureLine(tool, ExitCodes.Interrupted, "interrupted");
        var report = ReportJson.Deserialize(await File.ReadAllTextAsync(file), file);
        Assert.Equal("stopped", report.Session.EndReason);
        Assert.Empty(tool.Marker.Survivors()); // the command was terminated with the tool
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Code0_Success_WhenAttachIsStoppedByASignal(string signal)
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(_dir, $"attach-{signal}.json");
        using var tool = Tool.Start(["attach", target.Id.ToString(CultureInfo.InvariantCulture), "-o", file]);
        await tool.WaitForErrorAsync("Attached to process");
        await tool.SignalAsync(signal);
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Success, $"exit code {tool.ExitCode}; stderr: {tool.ErrorText}");
        Assert.Empty(FailureLines(tool));
        Assert.Equal("stopped", ReportJson.Deserialize(await File.ReadAllTextAsync(file), file).Session.EndReason);
        Assert.False(target.HasExited); // attach leaves its target running
    }

    [Fact]
    public async Task Code0_Success_WhenDemoIsStoppedBySigint()
    {
        string file = Path.Combine(_dir, "demo.json");
        using var tool = Tool.Start(["demo", "--duration", "60s", "-o", file]);
        await tool.WaitForErrorAsync("Tracing the demo workload");
        await tool.SignalAsync("INT");
        await tool.WaitForExitAsync();

        Assert.True(tool.ExitCode == ExitCodes.Success, $"exit code {tool.ExitCode}; stderr: {tool.ErrorText}");
        Assert.Empty(FailureLines(tool));
        Assert.Equal("demo", ReportJson.Deserialize(await File.ReadAllTextAsync(file), file).Session.Mode); // format from .json
        Assert.Empty(tool.Marker.Survivors()); // the workload ended with the demo
    }

    [Fact]
    public async Task RunExitsWithTheCommandsCode_WhenItsGatePasses()
    {
        string sample = TargetProgram.Locate("GateSample");
        string baseline = Path.Combine(_dir, "gate-baseline.json");
        using (var first = await Tool.RunAsync("run", "-o", baseline, "--", "dotnet", sample))
        {
            Assert.Equal(0, first.ExitCode);
        }

        using var gated = await Tool.RunAsync("run", "--baseline", baseline, "--", "dotnet", sample, "--exit", "3");
        Assert.True(gated.ExitCode == 3, $"exit code {gated.ExitCode}; stdout: {gated.OutText}; stderr: {gated.ErrorText}");
        Assert.Contains("Gate passed", gated.OutText, StringComparison.Ordinal);
        Assert.Empty(FailureLines(gated));
    }

    /// <summary>Standard error's lines, less the status lines commands print while they work.</summary>
    internal static List<string> FailureLines(Tool tool) =>
        tool.ErrorLines.Where(l => !IsStatus(l)).ToList();

    private static bool IsStatus(string line) =>
        line.StartsWith("Attached to process ", StringComparison.Ordinal)
        || line.StartsWith("Tracing the demo workload", StringComparison.Ordinal)
        || line.StartsWith("Report written to ", StringComparison.Ordinal)
        || line.StartsWith("dotnet-alloctrack: tracing process ", StringComparison.Ordinal)
        || line.StartsWith("dotnet-alloctrack: resumed untraced process ", StringComparison.Ordinal);

    internal static void AssertOneFailureLine(Tool tool, int code, string? text = null)
    {
        Assert.True(tool.ExitCode == code, $"exit code {tool.ExitCode}, expected {code}; stderr: {tool.ErrorText}");
        string line = Assert.Single(FailureLines(tool));
        Assert.StartsWith("dotnet-alloctrack: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", tool.ErrorText, StringComparison.Ordinal);
        if (text is not null)
        {
            Assert.Contains(text, line, StringComparison.Ordinal);
        }
    }

    private string Report(string name, long renderBytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, ReportJson.Serialize(new AllocationReport
        {
            Groups = [new GroupReport { Id = 1, Name = "parse", AllocatedBytes = 1_000_000 }, new GroupReport { Id = 2, Name = "render", AllocatedBytes = renderBytes }],
        }));
        return path;
    }
}
