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
    private Timer? _trailing;
    private int _trailingArmed;
    private long _lastSuppressedReturn;
    private int _intervalMs;
    private long _eagerWindowStart;
    private int _eagerUsed;
    private bool _eager;

    /// <summary>
    /// Publications a thread returning to the root group may make at once, per interval. What a process writes while
    /// exiting never reaches an EventPipe session, so a short program (a test, a CLI) that leaves its last group and
    /// exits before the next tick would lose those bytes; publishing when work returns to the root group closes that
    /// gap, and the budget keeps the events per second independent of the request rate.
    /// </summary>
    public const int EagerPerInterval = 2;

    /// <summary>
    /// Once the budget is spent, a return to the root group is not published at once but this long after work last
    /// returned to the root group, if none has since: a burst of work that ends (a test's last groups, a batch before
    /// exit) is published within about this delay whatever the interval, while steady load, which keeps returning,
    /// publishes nothing extra (the periodic totals cover it).
    /// </summary>
    public const int TrailingQuietMs = 100;

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

    // While stopped, the timer stays armed this far ahead (24.8 days) rather than disarmed: see CreateTimer.
    private const int ParkedDueMs = int.MaxValue - 1;

    /// <summary>
    /// Creates the timer, parked. Call it outside any EventSource callback. Starting the first timer of a process
    /// creates the runtime's timer thread, and creating a thread inside an EventPipe enable callback (which runs on
    /// the diagnostics server thread) deadlocked the process: measured with a session on the process itself. So the
    /// timer is armed here, far ahead, and the callbacks only change its period.
    /// </summary>
    public void CreateTimer()
    {
        // The timer must not capture the caller's group: its callbacks (and what they allocate) run in the root group.
        bool suppress = !ExecutionContext.IsFlowSuppressed();
        var flow = suppress ? ExecutionContext.SuppressFlow() : default;
        Timer timer, trailing;
        try
        {
            timer = new Timer(static state => ((TotalsPublisher)state!).OnTimer(), this, ParkedDueMs, Timeout.Infinite);
            trailing = new Timer(static state => ((TotalsPublisher)state!).OnTrailing(), this, Timeout.Infinite, Timeout.Infinite);
        }
        finally
        {
            if (suppress)
            {
                flow.Undo();
            }
        }

        lock (_lock)
        {
            _timer = timer;
            _trailing = trailing;
            Apply();
        }
    }

    /// <summary>Whether a session asked for <see cref="EventContract.PublishOnReturnToRootArgument"/>.</summary>
    public static bool ParseEager(IDictionary<string, string?>? arguments) =>
        arguments is not null
        && arguments.TryGetValue(EventContract.PublishOnReturnToRootArgument, out string? text)
        && bool.TryParse(text, out bool eager)
        && eager;

    /// <summary>
    /// Starts periodic publication; with several sessions, the shortest interval asked for wins, and publication on
    /// return to the root group is on when any session asked for it.
    /// </summary>
    public void Start(int intervalMs, bool eager = false)
    {
        lock (_lock)
        {
            _eager |= eager;
            if (_intervalMs == 0 || intervalMs < _intervalMs)
            {
                _intervalMs = intervalMs;
                Apply();
            }
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _intervalMs = 0;
            _eager = false;
            Apply();
        }
    }

    // Before CreateTimer (a session enabled during the EventSource's construction), the interval waits for the timer.
    private void Apply() => _timer?.Change(_intervalMs == 0 ? ParkedDueMs : _intervalMs, _intervalMs == 0 ? Timeout.Infinite : _intervalMs);

    /// <summary>A thread left its groups for the root group: publish now, within <see cref="EagerPerInterval"/>.</summary>
    public void PublishOnReturnToRoot()
    {
        int interval = Volatile.Read(ref _intervalMs);
        if (interval == 0 || !Volatile.Read(ref _eager))
        {
            return; // no session asks for totals, or none for these
        }

        long now = Environment.TickCount64;
        if (now - Volatile.Read(ref _eagerWindowStart) < interval && Volatile.Read(ref _eagerUsed) >= EagerPerInterval)
        {
            PublishWhenQuiet(now); // the common case under load: reads only, no lock
            return;
        }

        lock (_lock)
        {
            if (now - _eagerWindowStart >= interval)
            {
                _eagerWindowStart = now;
                _eagerUsed = 0;
            }

            if (_eagerUsed >= EagerPerInterval)
            {
                PublishWhenQuiet(now);
                return;
            }

            _eagerUsed++;
        }

        Publish(everyGroup: false);
    }

    // Under load every request returns to the root group: the shared fields are written at most once per tick of
    // Environment.TickCount64's clock (and the timer armed once per quiet period), so the hot path stays read-mostly.
    private void PublishWhenQuiet(long now)
    {
        if (Volatile.Read(ref _lastSuppressedReturn) != now)
        {
            Volatile.Write(ref _lastSuppressedReturn, now);
        }

        if (Volatile.Read(ref _trailingArmed) == 0 && Interlocked.CompareExchange(ref _trailingArmed, 1, 0) == 0)
        {
            Volatile.Read(ref _trailing)?.Change(TrailingQuietMs, Timeout.Infinite);
        }
    }

    private void OnTrailing()
    {
        try
        {
            long quietFor = Environment.TickCount64 - Volatile.Read(ref _lastSuppressedReturn);
            if (quietFor < TrailingQuietMs)
            {
                // Work returned to the root group since the timer was armed: still busy, look again later.
                _trailing?.Change(TrailingQuietMs - quietFor, Timeout.Infinite);
                return;
            }

            Volatile.Write(ref _trailingArmed, 0);
            if (Volatile.Read(ref _intervalMs) != 0 && Volatile.Read(ref _eager))
            {
                Publish(everyGroup: false);
            }
        }
        catch (Exception)
        {
            // A timer callback that throws would terminate the process: diagnostics never do that.
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
            lock (_lock)
            {
                if (_intervalMs == 0)
                {
                    Apply(); // parked long enough to fire: park again
                    return;
                }
            }

            Publish(everyGroup: false);
        }
        catch (Exception)
        {
            // A timer callback that throws would terminate the process: diagnostics never do that.
        }
    }
}
