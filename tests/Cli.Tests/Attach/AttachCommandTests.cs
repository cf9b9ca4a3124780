using System.Diagnostics;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests.Attach;

/// <summary>The attach command through its real entry point, against real processes.</summary>
[Collection("processes")]
public class AttachCommandTests
{
    [Fact]
    public async Task Attach_ExitsWithNoSuchProcess_WhenThePidDoesNotExist()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "999999"], console);
        Assert.Equal(ExitCodes.NoSuchProcess, code);
        AssertOneCleanLine(console, "No process has id 999999");
    }

    [Fact]
    public async Task Attach_ExitsWithNotDotNet_WhenTheProcessIsNotDotNet()
    {
        using var sleep = Process.Start("sleep", "30");
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "-p", sleep.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], console);
        sleep.Kill();
        Assert.Equal(ExitCodes.NotDotNet, code);
        AssertOneCleanLine(console, "is not a .NET process");
    }

    [Fact]
    public async Task Attach_ExitsWithDiagnosticsDisabled_WhenTheTargetDisabledThem()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"], new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", Pid(target)], console);
        Assert.Equal(ExitCodes.DiagnosticsDisabled, code);
        AssertOneCleanLine(console, "DOTNET_EnableDiagnostics=0");
    }

    [Fact]
    public async Task Attach_ExitsWithUsageError_WhenBothPidAndNameAreGiven()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "-p", "1", "-n", "x"], console);
        Assert.Equal(ExitCodes.UsageError, code);
        AssertOneCleanLine(console, "exactly one");
    }

    [Fact]
    public async Task Attach_ExitsWithNoSuchProcess_WhenNoProcessHasTheName()
    {
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "--name", "no-such-program-anywhere"], console);
        Assert.Equal(ExitCodes.NoSuchProcess, code);
        AssertOneCleanLine(console, "no-such-program-anywhere");
    }

    [Fact]
    public async Task Attach_WritesThePartialReportAndExitsWithTargetExited_WhenTheTargetExitsMidSession()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-attach").FullName, "report.json");
        var console = new TestConsole();
        var run = CliApp.RunAsync(["attach", Pid(target), "-o", file], console);
        await WaitForAsync(() => console.ErrorText.Contains("Attached to process", StringComparison.Ordinal));
        await Task.Delay(500);
        await target.SendLineAsync();

        int code = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.TargetExited, code);
        Assert.Contains("exited during the session", console.ErrorText, StringComparison.Ordinal);
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("target-exited", report.Session.EndReason);
        Assert.Contains(report.Groups, g => g.Name == "sync" && g.AllocatedBytes > 0);
        Assert.Contains(report.Session.Notes, n => n.Contains("exited during the session", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!)); // no temporary file left behind
    }

    [Fact]
    public async Task Attach_StopsAfterTheDurationAndWritesJson_WhenDurationIsGiven()
    {
        // GateSample: only this assembly's tests start it, one at a time, so the name is unique.
        using var target = await TargetProgram.StartAsync("GateSample", ["--idle"]);
        await target.WaitForEndpointAsync();
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "--name", "GateSample", "--duration", "1s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        Assert.Equal("duration", report.Session.EndReason);
        Assert.Equal(target.Id, report.Session.TargetPid);
        Assert.InRange(report.Session.DurationSeconds, 0.9, 30);
    }

    [Fact]
    public async Task Attach_DrawsLiveScreensWithTheGroups_WhenTheConsoleIsInteractive()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        var console = new TestConsole(interactive: true);
        var run = CliApp.RunAsync(["attach", Pid(target)], console);
        await WaitForAsync(() => console.ErrorText.Contains("Attached to process", StringComparison.Ordinal));
        await Task.Delay(500);
        await target.SendLineAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        string[] screens;
        lock (console.Screens)
        {
            screens = [.. console.Screens];
        }

        Assert.NotEmpty(screens);
        Assert.All(screens, s => Assert.Contains("Allocated (exact)", s, StringComparison.Ordinal));
        Assert.Contains("Press Ctrl+C", screens[0], StringComparison.Ordinal);
        Assert.Contains("sync", console.OutText, StringComparison.Ordinal); // the final table
    }

    [Fact]
    public async Task Ps_ListsTheTarget_WhenItIsRunning()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["ps"], console));
        Assert.Contains(console.OutText.Split('\n'), line => line.TrimStart().StartsWith(Pid(target) + " ", StringComparison.Ordinal) && line.Contains("AllocTarget", StringComparison.Ordinal));
    }

    private static string Pid(TargetProgram target) => target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertOneCleanLine(TestConsole console, string expected)
    {
        string error = console.ErrorText.TrimEnd();
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.StartsWith("dotnet-alloctrack: ", error, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(20);
        }
    }
}
