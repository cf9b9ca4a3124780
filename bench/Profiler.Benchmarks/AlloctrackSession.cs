using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Benchmarks;

/// <summary>This tool's session attached in-process to a running target, as <c>dotnet-alloctrack attach</c> starts it.</summary>
internal static class AlloctrackSession
{
    /// <summary>Starts the session and returns once the process total has its first reading (the session is live).</summary>
    public static async Task<IAsyncDisposable?> AttachAsync(int pid, GroupByMode groupBy)
    {
        var session = ProfilingSession.Start(TargetProcess.TryDescribe(pid)!, new SessionOptions { GroupBy = groupBy });
        try
        {
            await session.Totals.FirstReading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return session;
    }
}
