using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// Drives a started session to its end (duration, Ctrl+C/SIGTERM, or the target exiting), shows the live view on a
/// terminal, and writes the final report, which is written whatever ended the session.
/// </summary>
internal static class SessionHost
{
    public sealed record Outcome(AllocationReport Report, bool TargetExited);

    public static async Task<Outcome> TraceAsync(
        IConsole console,
        ProfilingSession session,
        string mode,
        TimeSpan? duration,
        bool liveView,
        CancellationToken userStop)
    {
        using var durationCts = duration is TimeSpan d ? new CancellationTokenSource(d) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(userStop, durationCts.Token);

        Task live = Task.CompletedTask;
        using var liveStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        if (liveView && console.IsInteractive)
        {
            var view = new LiveView(console, () => session.BuildReport(mode, "running"));
            live = view.RunAsync(() => session.Elapsed, liveStop.Token);
        }

        try
        {
            await session.Completion.WaitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the duration or the user: the session is stopped below either way.
        }

        bool targetExited = session.Completion.IsCompleted && !stop.IsCancellationRequested;
        await session.StopAsync().ConfigureAwait(false);
        await liveStop.CancelAsync().ConfigureAwait(false);
        await live.ConfigureAwait(false);

        string endReason = targetExited ? "target-exited" : durationCts.IsCancellationRequested ? "duration" : "stopped";
        var report = session.BuildReport(mode, endReason);
        return new Outcome(report, targetExited);
    }

    /// <summary>Writes the report: to the file (atomically) when -o is given, with a summary on the console; else to the console.</summary>
    public static void WriteReport(IConsole console, AllocationReport report, ReportFormat format, FileInfo? output)
    {
        if (output is not null)
        {
            AtomicFile.WriteAllText(output.FullName, ReportRenderer.Render(report, format));
            if (console.IsInteractive || format != ReportFormat.Table)
            {
                console.Out.Write(ReportRenderer.Table(report, rates: null));
            }

            console.Error.WriteLine($"Report written to {output.FullName}");
            return;
        }

        console.Out.Write(ReportRenderer.Render(report, format));
    }
}
