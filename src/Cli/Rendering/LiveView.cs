using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Rendering;

/// <summary>The live table: redrawn about once a second from the session's aggregation, with per-group rates.</summary>
internal sealed class LiveView(IConsole console, Func<AllocationReport> snapshot)
{
    private Dictionary<(int, int), long> _previous = [];
    private TimeSpan _previousTime;

    public async Task RunAsync(Func<TimeSpan> elapsed, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                console.Redraw(Frame(elapsed()) + "Press Ctrl+C to stop and write the report." + Environment.NewLine);
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One screen: the table with a rate column computed against the previous frame.</summary>
    public string Frame(TimeSpan now)
    {
        var report = snapshot();
        double seconds = (now - _previousTime).TotalSeconds;
        var rates = new Dictionary<(int Pid, int Id), double>();
        var current = new Dictionary<(int, int), long>();
        foreach (var g in report.Groups)
        {
            // Sampled estimates move continuously; exact bytes only when a thread changes group. Rate the larger.
            long value = Math.Max(g.EstimatedBytes, g.AllocatedBytes ?? 0);
            current[(g.ProcessId, g.Id)] = value;
            if (seconds > 0 && _previous.TryGetValue((g.ProcessId, g.Id), out long before))
            {
                rates[(g.ProcessId, g.Id)] = Math.Max(0, value - before) / seconds;
            }
        }

        _previous = current;
        _previousTime = now;
        return ReportRenderer.Table(report, rates);
    }
}
