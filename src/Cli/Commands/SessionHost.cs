using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// Drives a started session to its end (duration, Ctrl+C/SIGTERM, or the target exiting), shows the live view on a
/// terminal, and writes the final report, which is written whatever ended the session, a second Ctrl+C included.
/// </summary>
internal static class SessionHost
{
    public const string CutShortNote = "Stopped by a second Ctrl+C or SIGTERM before the runtime had flushed its last events: the last moments of the session may be missing.";

    public sealed record Outcome(AllocationReport Report, bool TargetExited);

    /// <summary>
    /// Waits for a session to stop, unless a second signal cuts the wait short; true when it did. What was gathered
    /// until then is still in the session, and the report is built from it either way.
    /// </summary>
    public static async Task<bool> StopAsync(Task stopping, StopSignals? signals)
    {
        var hurry = signals?.Hurry ?? CancellationToken.None;
        try
        {
            await stopping.WaitAsync(hurry).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException) when (hurry.IsCancellationRequested)
        {
            // The session keeps stopping in the background; its disposal waits for it after the report is written.
            return true;
        }
    }

    public static async Task<Outcome> TraceAsync(
        IConsole console,
        ProfilingSession session,
        string mode,
        TimeSpan? duration,
        bool liveView,
        CancellationToken userStop,
        StopSignals? signals = null)
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
        bool cutShort = await StopAsync(session.StopAsync(), signals).ConfigureAwait(false);
        await liveStop.CancelAsync().ConfigureAwait(false);
        await live.ConfigureAwait(false);

        string endReason = targetExited ? "target-exited" : durationCts.IsCancellationRequested ? "duration" : "stopped";
        var report = session.BuildReport(mode, endReason, cutShort ? [CutShortNote] : null);
        return new Outcome(report, targetExited);
    }

    /// <summary>
    /// Writes the report: to the file when -o is given (see <see cref="OutputFile"/>; exit 12 when it cannot be
    /// written), with a summary on the console; else to the console.
    /// </summary>
    public static void WriteReport(IConsole console, AllocationReport report, ReportFormat format, FileInfo? output)
    {
        if (output is not null)
        {
            bool toStandardOutput = ReportOutput.Write(console, output, ReportRenderer.Render(report, format));
            if (!toStandardOutput && (console.IsInteractive || format != ReportFormat.Table))
            {
                console.Out.Write(ReportRenderer.Table(report, rates: null));
            }

            console.Error.WriteLine($"Report written to {output.FullName}");
            return;
        }

        console.Out.Write(ReportRenderer.Render(report, format));
    }
}
