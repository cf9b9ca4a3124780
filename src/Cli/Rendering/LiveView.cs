using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Reports.Writers;

namespace TrackingProfiler.Cli.Rendering;

/// <summary>The live table: redrawn about once a second from the session's aggregation, with a rate column of its own.</summary>
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

    /// <summary>One screen: the report's table with a rate column, computed against the previous frame, after "Allocated".</summary>
    public string Frame(TimeSpan now)
    {
        var report = snapshot();
        var rates = Rates(report, now);
        var columns = ReportColumns.For(report).ToList();
        int allocated = columns.FindIndex(c => c.Heading == ReportColumns.AllocatedHeading);
        columns.Insert(allocated + 1, RateColumn(rates));
        return TableWriter.Render(report, columns);
    }

    /// <summary>Bytes per second for each group since the previous frame; absent on a group's first frame.</summary>
    private Dictionary<(int Pid, int Id), double> Rates(AllocationReport report, TimeSpan now)
    {
        double seconds = (now - _previousTime).TotalSeconds;
        var rates = new Dictionary<(int Pid, int Id), double>();
        var current = new Dictionary<(int, int), long>();
        foreach (var g in report.Groups)
        {
            // Sampled estimates move continuously; exact bytes only when a thread changes group. Rate the larger.
            long value = Math.Max(g.EstimatedBytes, g.AllocatedBytes);
            current[(g.ProcessId, g.Id)] = value;
            if (seconds > 0 && _previous.TryGetValue((g.ProcessId, g.Id), out long before))
            {
                rates[(g.ProcessId, g.Id)] = Math.Max(0, value - before) / seconds;
            }
        }

        _previous = current;
        _previousTime = now;
        return rates;
    }

    private static ReportColumn RateColumn(Dictionary<(int Pid, int Id), double> rates)
    {
        string Text(GroupReport g) => rates.TryGetValue((g.ProcessId, g.Id), out double rate) ? ByteSize.Format(rate) + "/s" : ReportFigures.NotMeasured;
        return new ReportColumn("Rate", CsvName: null, Shown: true, Text, Text, IsNumber: true);
    }
}
