using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Run;

/// <summary>`run -- command` through the real entry point, on real child processes, and the gate end to end.</summary>
[Collection("processes")]
public class RunCommandTests
{
    private static readonly string s_sample = TargetProgram.Locate("GateSample");

    // What GateSample's groups allocate: 200 byte[10,000] in "parse", 100 char[5,000] in "render" (it prints the same,
    // measured, on its own output).
    private static readonly Dictionary<string, long> s_truth = new() { ["parse"] = 200 * ArrayBytes(10_000, 1), ["render"] = 100 * ArrayBytes(5_000, 2) };
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-run").FullName;

    [Fact]
    public async Task Run_ReportsExactBytesOfEachGroup_WhenTheCommandIsDotnetAppDll()
    {
        var (code, report, console) = await RunAsync("plain.json", [], "dotnet", s_sample);
        Assert.Equal(0, code);
        _ = console;
        Assert.Equal("run", report.Session.Mode);
        Assert.Equal(0, report.Session.ExitCode);
        Assert.True(Assert.Single(report.Session.Processes).Traced);
        foreach (string name in new[] { "parse", "render" })
        {
            long exact = report.Groups.Single(g => g.Name == name).AllocatedBytes ?? 0;
            Assert.InRange(exact / (double)s_truth[name], 0.99, 1.01);
        }
    }

    [Fact]
    public async Task Run_Works_WhenTheCommandIsAnApphost()
    {
        string apphost = Path.ChangeExtension(s_sample, null);
        var (code, report, _) = await RunAsync("apphost.json", [], apphost);
        Assert.Equal(0, code);
        Assert.Equal("GateSample", Assert.Single(report.Session.Processes).Name);
        Assert.Contains(report.Groups, g => g.Name == "parse" && g.AllocatedBytes > 0);
    }

    [Fact]
    public async Task Run_ExitsWithTheCommandsExitCode_WhenTheCommandFails()
    {
        var (code, report, _) = await RunAsync("exit.json", [], "dotnet", s_sample, "--exit", "3");
        Assert.Equal(3, code);
        Assert.Equal(3, report.Session.ExitCode);
    }

    [Fact]
    public async Task Run_ReturnsTheCrashCodeAndWritesThePartialReport_WhenTheCommandCrashes()
    {
        var (code, report, _) = await RunAsync("crash.json", [], "dotnet", s_sample, "--crash");
        Assert.True(code >= 128, $"exit code {code}"); // an unhandled exception aborts the runtime (SIGABRT)
        Assert.Equal(code, report.Session.ExitCode);
        Assert.Equal("target-exited", report.Session.EndReason);
        // The groups' events may die with the process: EventPipe sends a thread's events when its buffer fills or
        // the runtime shuts down cleanly, and an abort does neither. So only the report itself is asserted here.
        Assert.Contains(report.Session.Notes, n => n.Contains("killed by signal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TracesEveryRuntimeOfTheTree_AndResumesTheUnselected_WithoutHanging()
    {
        var (code, report, _) = await RunAsync("tree.json", [], "dotnet", s_sample, "--spawn-child");
        Assert.Equal(0, code);
        Assert.Equal(2, report.Session.Processes.Count(p => p.Traced));
        Assert.Equal(2, report.Groups.Where(g => g.Name == "parse").Select(g => g.ProcessId).Distinct().Count());

        var (untracedCode, untraced, _) = await RunAsync("none.json", ["--trace-process", "something-else"], "dotnet", s_sample, "--spawn-child");
        Assert.Equal(0, untracedCode);
        Assert.Equal(2, untraced.Session.Processes.Count);
        Assert.All(untraced.Session.Processes, p => Assert.False(p.Traced));
        Assert.Empty(untraced.Groups);
    }

    [Fact]
    public async Task Run_TracesTheTestHostAndResumesTheSdkProcesses_WhenTheCommandIsDotnetTest()
    {
        string project = Path.Combine(Path.GetDirectoryName(TargetProgram.Locate("GateSample"))!, "..", "..", "..", "..", "SampleTests");
        var (code, report, _) = await RunAsync("dotnet-test.json", [], "dotnet", "test", Path.GetFullPath(project), "-v", "q", "--nologo");
        Assert.Equal(0, code);
        var traced = Assert.Single(report.Session.Processes, p => p.Traced);
        Assert.Equal("testhost", traced.Name);
        Assert.Contains(report.Session.Processes, p => !p.Traced && p.Name == "dotnet");
        Assert.Equal(100 * ArrayBytes(100_000, 1), report.Groups.Single(g => g.Name == "serializer").AllocatedBytes ?? 0, tolerance: 0.01 * 100 * ArrayBytes(100_000, 1));
    }

    [Fact]
    public async Task Run_ExitsWithNeverConnected_WhenTheCommandIsNotDotNet()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["run", "--", "/bin/sh", "-c", "exit 0"], console);
        Assert.Equal(ExitCodes.NeverConnected, code);
        Assert.Contains("without starting a .NET runtime", console.ErrorText, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ExitsWithLaunchFailed_WhenTheCommandDoesNotExist()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["run", "--", "/no/such/program"], console);
        Assert.Equal(ExitCodes.LaunchFailed, code);
        Assert.StartsWith("dotnet-alloctrack: Could not start '/no/such/program'", console.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAndCheck_PassWithoutTheSwitch_AndFailOnExactlyTheInjectedGroup_WithIt()
    {
        var (_, _, _) = await RunAsync("baseline.json", [], "dotnet", s_sample);
        string baseline = Path.Combine(_dir, "baseline.json");

        var (again, _, _) = await RunAsync("same.json", [], "dotnet", s_sample);
        Assert.Equal(0, again);
        var pass = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["check", Path.Combine(_dir, "same.json"), "--baseline", baseline], pass));

        await RunAsync("extra.json", [], "dotnet", s_sample, "--extra");
        var fail = new TestConsole();
        Assert.Equal(ExitCodes.GateFailed, await CliApp.RunAsync(["check", Path.Combine(_dir, "extra.json"), "--baseline", baseline], fail));
        var failing = fail.OutText.Split('\n').Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.Contains("render", Assert.Single(failing), StringComparison.Ordinal);

        // The same gate in one step: run with --baseline exits 1 although the command succeeded.
        var (gated, _, _) = await RunAsync("gated.json", ["--baseline", baseline], "dotnet", s_sample, "--extra");
        Assert.Equal(ExitCodes.GateFailed, gated);
    }

    private async Task<(int Code, AllocationReport Report, TestConsole Console)> RunAsync(string file, string[] options, params string[] command)
    {
        string path = Path.Combine(_dir, file);
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["run", "--format", "json", "-o", path, .. options, "--", .. command], console).WaitAsync(TimeSpan.FromMinutes(2));
        return (code, ReportJson.Deserialize(File.ReadAllText(path), file), console);
    }

    // Size of a T[] on 64-bit CoreCLR: 16-byte header + length field padding, elements, rounded up to 8.
    private static long ArrayBytes(int length, int elementSize) => (24 + (length * (long)elementSize) + 7) / 8 * 8;
}
