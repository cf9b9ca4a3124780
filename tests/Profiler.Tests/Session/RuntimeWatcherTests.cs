using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Tests.Session;

public class RuntimeWatcherTests
{
    [Fact]
    public void Poll_IgnoresAStaleSocketWhosePidIsNowAThread_WhenTheThreadsProcessCarriesTheMarker()
    {
        // A killed process leaves /tmp/dotnet-diagnostic-<pid>-<n>-socket behind. When <pid> is later a thread id of a
        // process of the command, /proc/<pid>/environ answers with that process's environment: the watcher must not
        // take the thread for another runtime of the command.
        var thread = new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true };
        thread.Start();
        int tid = Directory.GetDirectories($"/proc/{Environment.ProcessId}/task").Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).First(t => t != Environment.ProcessId);
        string stale = Path.Combine(Path.GetTempPath(), $"dotnet-diagnostic-{tid}-1-socket");
        File.WriteAllText(stale, string.Empty);
        try
        {
            // The test process's own PATH is the marker: every thread of it "has" it.
            var watcher = new RuntimeWatcher(new CommandTree("PATH", Environment.GetEnvironmentVariable("PATH")!));
            Assert.DoesNotContain(watcher.Poll(), r => r.Runtime.ProcessId == tid);
        }
        finally
        {
            File.Delete(stale);
        }
    }
}
