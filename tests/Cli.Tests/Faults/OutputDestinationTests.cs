using System.Diagnostics;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>
/// Faults 1 and 3: -o never renames over a device, FIFO or link (it writes straight into it), refuses what it cannot
/// write with one line and exit 12, and is checked before any session starts.
/// </summary>
public class OutputDestinationTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("alloctrack-output").FullName;

    private string Report()
    {
        string path = Path.Combine(_dir, "r.json");
        File.WriteAllText(path, ReportJson.Serialize(new AllocationReport { Groups = [new GroupReport { Id = 1, Name = "parse", AllocatedBytes = 1000 }] }));
        return path;
    }

    private static async Task<(int Code, TestConsole Console)> RunAsync(params string[] args)
    {
        var console = new TestConsole();
        return (await CliApp.RunAsync(args, console), console);
    }

    [Fact]
    public async Task Output_WritesStraightIntoAFifo_AndLeavesItAFifo()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        string report = Report();
        var reader = Task.Run(() => File.ReadAllText(fifo));
        var (code, console) = await RunAsync("check", report, "--baseline", report, "--format", "json", "-o", fifo);

        Assert.True(code == ExitCodes.Success, console.ErrorText);
        Assert.Contains("\"passed\": true", await reader.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(["pipe", "r.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Output_WritesIntoDevNull_WithoutReplacingIt()
    {
        string report = Report();
        var (code, console) = await RunAsync("check", report, "--baseline", report, "-o", "/dev/null");
        Assert.True(code == ExitCodes.Success, console.ErrorText);
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
    }

    [Fact]
    public async Task Output_ExitsOutputFailedWithOneLine_AndLeavesTheDevice_WhenTheDeviceIsFull()
    {
        string report = Report();
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "cannot write /dev/full: no space left on the device", "check", report, "--baseline", report, "-o", "/dev/full");
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/full"));
        Assert.Single(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Output_GoesToTheConsole_WhenItIsDevStdout()
    {
        string report = Report();
        var (code, console) = await RunAsync("check", report, "--baseline", report, "--format", "json", "-o", "/dev/stdout");
        Assert.True(code == ExitCodes.Success, console.ErrorText);
        Assert.Contains("\"passed\": true", console.OutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_WritesThroughASymbolicLink_AndKeepsTheLink()
    {
        string target = Path.Combine(_dir, "target.json");
        File.WriteAllText(target, "old");
        string link = Path.Combine(_dir, "link.json");
        File.CreateSymbolicLink(link, target);
        string report = Report();

        var (code, console) = await RunAsync("check", report, "--baseline", report, "--format", "json", "-o", link);

        Assert.True(code == ExitCodes.Success, console.ErrorText);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Contains("\"passed\": true", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_ReplacesARegularFileAtomically_AndLeavesNoTempFile()
    {
        string output = Path.Combine(_dir, "gate.md");
        File.WriteAllText(output, "old");
        string report = Report();
        var (code, console) = await RunAsync("check", report, "--baseline", report, "-o", output);
        Assert.True(code == ExitCodes.Success, console.ErrorText);
        Assert.StartsWith("### dotnet-alloctrack memory gate", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_ExitsOutputFailed_WhenItIsADirectory()
    {
        string report = Report();
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "it is a directory", "check", report, "--baseline", report, "-o", _dir);
    }

    [Fact]
    public async Task Output_ExitsOutputFailed_WhenItIsASocket()
    {
        string socketPath = Path.Combine(_dir, "s");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        string report = Report();
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "it is a socket", "check", report, "--baseline", report, "-o", socketPath);
        Assert.Equal(FileKind.Socket, FileKinds.Of(socketPath));
    }

    [Fact]
    public async Task Run_ExitsOutputFailedBeforeStartingTheCommand_WhenTheDirectoryDoesNotExist()
    {
        string marker = Path.Combine(_dir, "ran");
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "does not exist", "run", "-o", Path.Combine(_dir, "typo", "r.json"), "--", "/bin/sh", "-c", $"touch {marker}");
        Assert.False(File.Exists(marker), "the command started although -o could never be written");
        Assert.False(Directory.Exists(Path.Combine(_dir, "typo")), "a directory was created outside -o");
    }

    [Fact]
    public async Task Attach_ExitsOutputFailedBeforeLookingForTheProcess_WhenTheDirectoryDoesNotExist() =>
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "does not exist", "attach", "2147483646", "-o", Path.Combine(_dir, "typo", "r.json"));

    [Fact]
    public async Task Demo_ExitsOutputFailedBeforeStartingTheWorkload_WhenOutputIsADirectory() =>
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "it is a directory", "demo", "--duration", "1s", "-o", _dir);

    [Fact]
    public async Task Output_ExitsOutputFailed_WhenTheFileSystemIsReadOnly()
    {
        // /proc is read-only for every user, root included: the same refusal a directory without write permission gets.
        await FaultAssert.FailsAsync(ExitCodes.OutputFailed, "cannot write /proc/alloctrack-report.json", "run", "-o", "/proc/alloctrack-report.json", "--", "/bin/true");
    }

    [Fact]
    public async Task Run_ChecksTheGateInputsBeforeStartingTheCommand()
    {
        string marker = Path.Combine(_dir, "ran");
        string budget = Path.Combine(_dir, "budget.json");
        File.WriteAllText(budget, """{ "schemaVersion": 1, "groups": { "a": { "maxIncrease": "Infinity%" } } }""");
        await FaultAssert.FailsAsync(ExitCodes.UsageError, "budget.json: 'a'.maxIncrease", "run", "--budget", budget, "--", "/bin/sh", "-c", $"touch {marker}");
        Assert.False(File.Exists(marker), "the command started although the gate could never run");
    }
}
