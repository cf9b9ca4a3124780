using System.Diagnostics;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests;

[Collection("processes")]
public class ProcessTestLockTests
{
    [Fact]
    public async Task ProcessTests_HoldTheMachineWideLock_WhileTheyRun()
    {
        // Another process (util-linux flock, the same flock(2) lock .NET takes for FileShare.None) cannot take it now:
        // the test projects that `dotnet test` runs in parallel wait for each other's process tests.
        var info = new ProcessStartInfo("flock") { UseShellExecute = false };
        foreach (string arg in new[] { "--nonblock", "--conflict-exit-code", "42", ProcessTestLock.LockPath, "true" })
        {
            info.ArgumentList.Add(arg);
        }

        using var flock = Process.Start(info)!;
        await flock.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(42, flock.ExitCode);
    }
}
