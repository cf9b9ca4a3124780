using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Runtimes;

/// <summary>
/// attach and run with default options on self-contained .NET 8 and 9 apps (no shared framework, so the runtime
/// version comes from the diagnostics endpoint), through the CLI, against the ground truth the target measured.
/// </summary>
[Collection("processes")]
public class OlderRuntimesTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-runtimes").FullName;

    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net9.0", 9)]
    public async Task Attach_MeasuresExactBytesAndGetsTickSamples_OnASelfContainedApp(string framework, int major)
    {
        string truth = Path.Combine(_dir, $"attach-{framework}.truth.json");
        string file = Path.Combine(_dir, $"attach-{framework}.json");
        using var target = await SelfContainedTarget.StartWaitingAsync(framework, truth);
        using var tool = ToolProcess.Start("attach", target.Id.ToString(CultureInfo.InvariantCulture), "--format", "json", "-o", file);
        await tool.WaitForAsync("Attached to process");
        await target.StandardInput.WriteLineAsync("go");
        await target.StandardInput.FlushAsync();

        Assert.Equal(ExitCodes.TargetExited, await tool.WaitForExitAsync());
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), major);
        Assert.Equal(major < 9, report.Session.Notes.Any(n => n.StartsWith("Stack walks are on although not asked for", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("net8.0", 8)]
    [InlineData("net9.0", 9)]
    public async Task Run_MeasuresExactBytesAndGetsTickSamples_OnASelfContainedApp(string framework, int major)
    {
        string truth = Path.Combine(_dir, $"run-{framework}.truth.json");
        var (code, report, console) = await RunAsync($"run-{framework}.json", [], SelfContainedTarget.Locate(framework), "run", truth);
        Assert.True(code == 0, console.ErrorText);
        Assert.True(Assert.Single(report.Session.Processes).Traced);
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), major);
    }

    [Fact]
    public async Task Run_ResumesAndTracesARuntimeThatStartsAfterTheCommandExited()
    {
        string truth = Path.Combine(_dir, "late.truth.json");
        string script = $"(sleep 1; exec '{SelfContainedTarget.Locate("net9.0")}' run '{truth}') & exit 0";
        var (code, report, console) = await RunAsync("late.json", [], "/bin/sh", "-c", script);

        Assert.True(code == 0, console.ErrorText);
        Assert.True(File.Exists(truth), "the late runtime never ran to its end: it was left paused"); // RunAsync has a 2-minute bound
        Assert.True(Assert.Single(report.Session.Processes).Traced);
        Assert.Contains(report.Session.Notes, n => n.Contains("exited before processes it started", StringComparison.Ordinal));
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), 9);
    }

    [Fact]
    public async Task Run_TracesThroughANamedListenPort_AndRemovesIt_WhenGivenDiagnosticPort()
    {
        string truth = Path.Combine(_dir, "port-run.truth.json");
        string port = Path.Combine(_dir, "run.sock");
        var (code, report, console) = await RunAsync("port-run.json", ["--diagnostic-port", port], SelfContainedTarget.Locate("net8.0"), "run", truth);

        Assert.True(code == 0, console.ErrorText);
        Assert.False(File.Exists(port));
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), 8);
    }

    [Fact]
    public async Task Attach_ListensOnTheDiagnosticPort_AndTracesTheRuntimeThatConnects_FromItsFirstInstruction()
    {
        string truth = Path.Combine(_dir, "port-attach.truth.json");
        string file = Path.Combine(_dir, "port-attach.json");
        string port = Path.Combine(_dir, "attach.sock");
        using var tool = ToolProcess.Start("attach", "--diagnostic-port", port, "--format", "json", "-o", file);
        await tool.WaitForAsync("Waiting for a runtime to connect");

        // The runtime connects to the tool's port and pauses before Main (suspend is the default for such a port)
        // until the tool has started its session and resumes it.
        var info = new ProcessStartInfo(SelfContainedTarget.Locate("net9.0")) { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add("run");
        info.ArgumentList.Add(truth);
        info.Environment["DOTNET_DiagnosticPorts"] = port;
        using (var target = Process.Start(info)!)
        {
            _ = target.StandardOutput.ReadToEndAsync();
            await target.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.Equal(0, target.ExitCode);
        }

        Assert.Equal(ExitCodes.TargetExited, await tool.WaitForExitAsync());
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), 9);
        Assert.False(File.Exists(port));
    }

    [Fact]
    public async Task Attach_ConnectsToARuntimesListeningEndpoint_WhenThePortEndsWithConnect()
    {
        string truth = Path.Combine(_dir, "connect.truth.json");
        string file = Path.Combine(_dir, "connect.json");
        using var target = await SelfContainedTarget.StartWaitingAsync("net8.0", truth);
        await DiagnosticEndpoint.WaitAsync(target, TimeSpan.FromSeconds(30), CancellationToken.None);
        string endpoint = DiagnosticsIpc.FindDefaultEndpoint(target.Id)!;

        using var tool = ToolProcess.Start("attach", "--diagnostic-port", endpoint + ",connect", "--format", "json", "-o", file);
        await tool.WaitForAsync("Attached to process");
        await target.StandardInput.WriteLineAsync("go");
        await target.StandardInput.FlushAsync();

        Assert.Equal(ExitCodes.TargetExited, await tool.WaitForExitAsync());
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal(target.Id, report.Session.TargetPid);
        AssertMatchesTruth(report, SelfContainedTarget.ReadTruth(truth), 8);
    }

    [Fact]
    public async Task Run_TerminatesTheCommandTree_SoTheRuntimeRemovesItsEndpoint_WhenStopped()
    {
        string truth = Path.Combine(_dir, "stop.truth.json");
        string file = Path.Combine(_dir, "stop.json");

        // The runtime is a grandchild: the shell waits for it, and the tool must find it to stop it.
        using var tool = ToolProcess.Start("run", "--format", "json", "-o", file, "--", "/bin/sh", "-c", $"'{SelfContainedTarget.Locate("net9.0")}' wait '{truth}' & wait");
        await tool.WaitForAsync("tracing process");
        using (var term = Process.Start("kill", ["-TERM", tool.Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        Assert.Equal(ExitCodes.Interrupted, await tool.WaitForExitAsync());
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        int pid = Assert.Single(report.Session.Processes, p => p.Traced).ProcessId;

        // SIGTERM first: the runtime shuts down cleanly and deletes its socket (SIGKILL would leave it behind).
        Assert.Null(DiagnosticsIpc.FindDefaultEndpoint(pid));
        Assert.False(IsRunning(pid));
    }

    [Theory]
    [InlineData("0")]
    public async Task Attach_ExitsWithNoSuchProcess_WhenThePidIsNotAProcessId(string pid)
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "-p", pid], console);
        Assert.Equal(ExitCodes.NoSuchProcess, code);
        Assert.StartsWith("dotnet-alloctrack: No process has id", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionRefused_HasItsOwnExitCode() =>
        Assert.Equal(10, ExitCodes.From(ProfilerErrorKind.SessionRefused));

    // Gone, or a zombie waiting for whoever adopted it to reap it: either way it runs no more.
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void AssertMatchesTruth(AllocationReport report, Dictionary<string, long> truth, int major)
    {
        Assert.Equal(major, truth["runtime"]);
        Assert.StartsWith($"{major}.", report.Session.RuntimeVersion, StringComparison.Ordinal);
        Assert.Equal("tick", report.Session.SamplingMode);
        Assert.Equal(0, report.Session.EventsLost);
        foreach (string name in new[] { "parse", "render" })
        {
            var group = report.Groups.Single(g => g.Name == name);
            Assert.InRange((group.AllocatedBytes ?? 0) / (double)truth[name], 0.99, 1.01);
            Assert.True(group.Samples > 0, $"{name}: no samples");
        }
    }

    private async Task<(int Code, AllocationReport Report, TestConsole Console)> RunAsync(string file, string[] options, params string[] command)
    {
        string path = Path.Combine(_dir, file);
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["run", "--format", "json", "-o", path, .. options, "--", .. command], console).WaitAsync(TimeSpan.FromMinutes(2));
        return (code, ReportJson.Deserialize(File.ReadAllText(path), file), console);
    }
}
