namespace TrackingProfiler.Grouping.Accounting;

/// <summary>
/// Publishes cumulative per-group totals: periodically for the groups whose total changed since the last
/// publication, and every group on request (rundown, process exit). The number of events therefore follows the
/// interval and the number of groups in use, never the rate of group changes.
/// </summary>
internal sealed class TotalsPublisher
{
    /// <summary>The shortest interval honoured: a session asking for less gets this (events stay bounded).</summary>
    public const int MinIntervalMs = 10;

    private readonly object _lock = new();
    private readonly Action<int, long> _write;

    // The last value written per group id (0 = never written: a group still at 0 has nothing new to say).
    private long[] _published = [];
    private Timer? _timer;
    private int _intervalMs;

    public TotalsPublisher(Action<int, long> write) => _write = write;

    /// <summary>The period in effect, in milliseconds; 0 when stopped.</summary>
    public int IntervalMs
    {
        get
        {
            lock (_lock)
            {
                return _intervalMs;
            }
        }
    }

    /// <summary>
    /// Reads the interval a session asked for (<see cref="EventContract.TotalsIntervalArgument"/>): the default when
    /// absent, malformed or not positive; at least <see cref="MinIntervalMs"/>.
    /// </summary>
    public static int ParseInterval(IDictionary<string, string?>? arguments)
    {
        if (arguments is not null
            && arguments.TryGetValue(EventContract.TotalsIntervalArgument, out string? text)
            && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int ms)
            && ms > 0)
        {
            return Math.Max(ms, MinIntervalMs);
        }

        return EventContract.DefaultTotalsIntervalMs;
    }

    /// <summary>Starts periodic publication; with several sessions, the shortest interval asked for wins.</summary>
    public void Start(int intervalMs)
    {
        lock (_lock)
        {
            if (_timer is not null && _intervalMs <= intervalMs)
            {
                return;
            }

            _intervalMs = intervalMs;
            _timer?.Dispose();

            // The timer must not capture the caller's group: its callbacks (and what they allocate) run in the root group.
            bool suppress = !ExecutionContext.IsFlowSuppressed();
            var flow = suppress ? ExecutionContext.SuppressFlow() : default;
            try
            {
                _timer = new Timer(static state => ((TotalsPublisher)state!).OnTimer(), this, intervalMs, intervalMs);
            }
            finally
            {
                if (suppress)
                {
                    flow.Undo();
                }
            }
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            _intervalMs = 0;
        }
    }

    /// <summary>Writes the totals of the groups that changed since the last publication, or of every group.</summary>
    public void Publish(bool everyGroup)
    {
        lock (_lock)
        {
            int lastId = AllocationGroupRegistry.LastId;
            long[] totals = GroupAccounting.Totals(lastId);
            if (_published.Length < totals.Length)
            {
                Array.Resize(ref _published, totals.Length);
            }

            for (int id = 0; id < totals.Length; id++)
            {
                if (everyGroup || totals[id] != _published[id])
                {
                    _write(id, totals[id]);
                    _published[id] = totals[id];
                }
            }
        }
    }

    private void OnTimer()
    {
        try
        {
            Publish(everyGroup: false);
        }
        catch (Exception)
        {
            // A timer callback that throws would terminate the process: diagnostics never do that.
        }
    }
}
