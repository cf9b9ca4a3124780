using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests;

/// <summary>
/// Exit paths of docs/exit-codes.md that ExitCodeTests does not reach, reached for real through the built executable:
/// an internal error (a damaged installation), a target that exits before its session starts, and the folder where
/// runtimes publish their endpoints missing (TMPDIR), each with one line on standard error and no stack trace.
/// </summary>
[Collection("processes")]
public class ExitPathTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-exitpath").FullName;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Code70_InternalError_WithOneLineNamingTheException_WhenADependencyOfTheToolIsDamaged()
    {
        // Nothing the user typed is wrong: a dependency of the tool was truncated (a broken copy, an interrupted
        // upgrade). That is the tool's fault — code 70, one line naming the exception — never a crash with a stack trace.
        using var copy = new WorldReadableTool();
        await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(copy.Dll)!, "Microsoft.Diagnostics.NETCore.Client.dll"), []);
        using var tool = await Tool.RunAsync(["ps"], environment: null, dll: copy.Dll);

        ExitCodeTests.AssertOneFailureLine(tool, ExitCodes.InternalError, "dotnet-alloctrack: internal error (");
        Assert.Contains("Microsoft.Diagnostics.NETCore.Client", tool.ErrorText, StringComparison.Ordinal);
        Assert.EndsWith("Please report it.", tool.ErrorLines.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code7_TargetExited_WhenTheTargetExitsBeforeItsSessionStarts()
    {
        using var target = await TargetProgram.StartAsync("AllocTarget", ["idle"]);
        await target.WaitForEndpointAsync();
        string endpoint = DiagnosticsIpc.FindDefaultEndpoint(target.Id)!;
        string file = Path.Combine(_dir, "before-start.json");

        // A stopped runtime answers nothing, but the kernel still queues connections to its endpoint: the tool's
        // requests wait there — first the probe for the runtime's version (it gives up after a few seconds), then the
        // request that starts the session. Once that one is queued, the target dies.
        await SignalAsync("STOP", target.Id);
        try
        {
            using var tool = Tool.Start(["attach", target.Id.ToString(CultureInfo.InvariantCulture), "-o", file]);
            await WaitForQueuedConnectionsAsync(endpoint, 2, tool);
            await SignalAsync("KILL", target.Id);
            await tool.WaitForExitAsync();

            ExitCodeTests.AssertOneFailureLine(tool, ExitCodes.TargetExited, $"Process {target.Id} exited before the session started");
            Assert.False(File.Exists(file)); // no session ran: nothing was gathered to write
        }
        finally
        {
            await SignalAsync("KILL", target.Id);
            File.Delete(endpoint); // a killed runtime leaves its socket behind
        }
    }

    [Theory]
    [InlineData("demo", "--duration", "1s")]
    [InlineData("ps")]
    [InlineData("run", "--", "/bin/sh", "-c", "exit 0")]
    public async Task Code6_DiagnosticsDisabled_WithoutStartingAnything_WhenTheTempFolderDoesNotExist(params string[] args)
    {
        // Runtimes publish their endpoints in TMPDIR: where it is missing, none can be reached (and listing it failed
        // deep in the client library, exit 70). Said before a workload or a command is started (run would say 8).
        string missing = Path.Combine(_dir, "no-such-folder");
        using var tool = await Tool.RunAsync(args, new Dictionary<string, string> { ["TMPDIR"] = missing });

        ExitCodeTests.AssertOneFailureLine(tool, ExitCodes.DiagnosticsDisabled, $"The temp folder {missing}/ (TMPDIR) does not exist");
        Assert.Empty(tool.Marker.Survivors());
    }

    [Theory]
    [InlineData("DOTNET_EnableDiagnostics", "0")]
    [InlineData("DOTNET_EnableDiagnostics_IPC", "00")]
    public async Task Code6_DiagnosticsDisabled_AtOnce_WhenTheDemosWorkloadWouldInheritDiagnosticsTurnedOff(string name, string value)
    {
        // Its runtime would open no endpoint and run unpaused: waiting for the endpoint until the timeout (15 s, then
        // code 8) told the user nothing the environment did not already say.
        using var tool = await Tool.RunAsync(["demo", "--duration", "1s"], new Dictionary<string, string> { [name] = value });

        ExitCodeTests.AssertOneFailureLine(tool, ExitCodes.DiagnosticsDisabled, $"{name}={value}");
        Assert.Empty(tool.Marker.Survivors());
    }

    /// <summary>Waits until <paramref name="count"/> connections wait in the endpoint's queue (/proc/net/unix lists them with its path).</summary>
    private static async Task WaitForQueuedConnectionsAsync(string endpoint, int count, Tool tool)
    {
        var clock = Stopwatch.StartNew();
        while (QueuedConnections(endpoint) < count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"the tool's requests never queued on {endpoint}: {tool.ErrorText}");
            }

            await Task.Delay(20);
        }
    }

    // Columns: Num RefCount Protocol Flags Type St Inode Path. The listening socket has the accept flag (0x10000 in Flags).
    private static int QueuedConnections(string endpoint) =>
        File.ReadLines("/proc/net/unix")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(columns => columns.Length >= 8 && columns[7] == endpoint && columns[3] != "00010000");

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardError = true })!;
        await kill.WaitForExitAsync();
    }
}
