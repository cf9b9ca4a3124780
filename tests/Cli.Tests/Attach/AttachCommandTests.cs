using System.Diagnostics;
using System.Globalization;
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
        string pid = FreeProcessId.Find().ToString(CultureInfo.InvariantCulture);
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", pid], console);
        Assert.Equal(ExitCodes.NoSuchProcess, code);
        AssertOneCleanLine(console, pid);
    }

    [Fact]
    public async Task Attach_ExitsWithNotDotNet_WhenTheProcessIsNotDotNet()
    {
        using var sleep = Process.Start("sleep", "30");
        try
        {
            var console = new TestConsole();
            int code = await CliApp.RunAsync(["attach", "--process-id", sleep.Id.ToString(CultureInfo.InvariantCulture)], console);
            Assert.Equal(ExitCodes.NotDotNet, code);
            AssertOneCleanLine(console, "is not a .NET process");
        }
        finally
        {
            sleep.Kill();
        }
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
        string name = "no-such-program-" + Guid.NewGuid().ToString("N");
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "--name", name], console);
        Assert.Equal(ExitCodes.NoSuchProcess, code);
        AssertOneCleanLine(console, name);
    }

    [Fact]
    public async Task Attach_WritesThePartialReportAndExitsWithTargetExited_WhenTheTargetExitsMidSession()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["work"]);
        await target.WaitForEndpointAsync();
        string file = Path.Combine(Directory.CreateTempSubdirectory("alloctrack-attach").FullName, "report.json");
        var console = new TestConsole();
        var run = CliApp.RunAsync(["attach", Pid(target), "--output", file], console);
        await WaitForAsync(() => console.ErrorText.Contains("Attached to process", StringComparison.Ordinal));
        await target.SendLineAsync();

        int code = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(ExitCodes.TargetExited, code);
        Assert.Contains("exited during the session", console.ErrorText, StringComparison.Ordinal);
        var report = ReportJson.Deserialize(File.ReadAllText(file), file);
        Assert.Equal("target-exited", report.Session.EndReason);
        Assert.Contains(report.Groups, g => g.Name == "sync" && g.Samples > 0);
        Assert.Contains(report.Session.Notes, n => n.Contains("exited during the session", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!)); // no temporary file left behind
    }

    [Fact]
    public async Task Attach_StopsAfterTheDurationAndWritesJson_WhenDurationIsGiven()
    {
        // A unique name: a leftover GateSample of another run cannot be the one found.
        using var target = await TargetProgram.StartAsync("GateSample", ["--idle"], uniqueName: true);
        await target.WaitForEndpointAsync();
        var console = new TestConsole();
        int code = await CliApp.RunAsync(["attach", "--name", target.Name, "--duration", "1s", "--format", "json"], console);
        Assert.Equal(ExitCodes.Success, code);
        var report = ReportJson.Deserialize(console.OutText, "stdout");
        Assert.Equal("duration", report.Session.EndReason);
        Assert.Equal(target.Id, report.Session.TargetPid);

        // The session lasts the duration, not less; stopping it waits for one more totals publication and one more
        // process-total reading (1 s each on attach, concurrently), and a loaded machine a few seconds more (a session
        // that ignored --duration would never end and time the test out instead).
        Assert.InRange(report.Session.DurationSeconds, 1.0, 8.0);
    }

    [Fact]
    public async Task Attach_RedrawsWholeScreensWithRowsAndRates_WhenTheConsoleIsInteractive()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["steady"]);
        await target.WaitForEndpointAsync();
        var console = new TestConsole(interactive: true);
        using var stop = new CancellationTokenSource();
        var run = CliApp.RunAsync(["attach", Pid(target)], console, stop.Token);
        await WaitForAsync(() => console.ErrorText.Contains("Attached to process", StringComparison.Ordinal));
        await target.SendLineAsync(); // start allocating

        // Wait for two screens, drawn after the group appeared, with a rate: a refresh that measured something.
        await WaitForAsync(() => Screens(console).Count(s => RateOf(s, "steady") is > 0) >= 2, TimeSpan.FromSeconds(60));
        await stop.CancelAsync(); // Ctrl+C
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        await target.SendLineAsync();

        string[] screens = Screens(console);
        Assert.True(screens.Length >= 3, $"{screens.Length} screens");
        foreach (string screen in screens)
        {
            // A whole screen: the session line, the table (header, rule, rows), notes, the hint.
            string[] lines = screen.TrimEnd().Split(Environment.NewLine);
            Assert.StartsWith($"dotnet-alloctrack — attach pid {target.Id}", lines[0], StringComparison.Ordinal);
            int header = Array.FindIndex(lines, l => l.StartsWith("Group ", StringComparison.Ordinal));
            Assert.True(header > 0, screen);
            Assert.Contains("Rate", lines[header], StringComparison.Ordinal);
            Assert.Matches("^-+( +-+)+$", lines[header + 1]);
            Assert.Equal("Press Ctrl+C to stop and write the report.", lines[^1]);
        }

        var rated = screens.Where(s => RateOf(s, "steady") is > 0).ToList();
        Assert.True(rated.Count >= 2);

        // The target allocates 64 KB about every millisecond (at most 64 MB/s): the rate is a real, bounded figure.
        Assert.All(rated, s => Assert.InRange(RateOf(s, "steady")!.Value, 64 * 1024, 64 * 1024 * 1024 * 1.5));
        Assert.Contains("steady", console.OutText, StringComparison.Ordinal); // the final table
    }

    [Fact]
    public async Task Ps_ListsTheTarget_WhenItIsRunning()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"], uniqueName: true);
        await target.WaitForEndpointAsync();
        var console = new TestConsole();
        Assert.Equal(ExitCodes.Success, await CliApp.RunAsync(["ps"], console));
        Assert.Contains(console.OutText.Split('\n'), line => line.TrimStart().StartsWith(Pid(target) + " ", StringComparison.Ordinal) && line.Contains(target.Name, StringComparison.Ordinal));
        Assert.Equal(string.Empty, console.ErrorText);
    }

    private static string[] Screens(TestConsole console)
    {
        lock (console.Screens)
        {
            return [.. console.Screens];
        }
    }

    /// <summary>The Rate cell of the group's row in a screen, in bytes per second; null when absent or empty.</summary>
    private static double? RateOf(string screen, string group)
    {
        string[] lines = screen.Split(Environment.NewLine);
        int header = Array.FindIndex(lines, l => l.StartsWith("Group ", StringComparison.Ordinal));
        if (header < 0 || header + 1 >= lines.Length)
        {
            return null;
        }

        // Columns are where the rule under the header has dashes.
        string rule = lines[header + 1];
        var columns = System.Text.RegularExpressions.Regex.Matches(rule, "-+").Select(m => (m.Index, m.Length)).ToList();
        int rate = columns.FindIndex(c => c.Index < lines[header].Length && lines[header].Substring(c.Index, Math.Min(c.Length, lines[header].Length - c.Index)).Trim() == "Rate");
        string? row = lines.Skip(header + 2).FirstOrDefault(l => l.StartsWith(group + " ", StringComparison.Ordinal));
        if (rate < 0 || row is null || row.Length < columns[rate].Index)
        {
            return null;
        }

        string cell = row.Substring(columns[rate].Index, Math.Min(columns[rate].Length, row.Length - columns[rate].Index)).Trim();
        var match = System.Text.RegularExpressions.Regex.Match(cell, @"^([\d.,]+) (B|KiB|MiB|GiB|KB|MB|GB)/s$");
        if (!match.Success)
        {
            return null;
        }

        double value = double.Parse(match.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return value * match.Groups[2].Value switch { "KB" or "KiB" => 1024, "MB" or "MiB" => 1024 * 1024, "GB" or "GiB" => 1024 * 1024 * 1024, _ => 1 };
    }

    private static string Pid(TargetProgram target) => target.Id.ToString(CultureInfo.InvariantCulture);

    private static void AssertOneCleanLine(TestConsole console, string expected)
    {
        string error = console.ErrorText.TrimEnd();
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.StartsWith("dotnet-alloctrack: ", error, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), "timed out waiting");
            await Task.Delay(20);
        }
    }
}
