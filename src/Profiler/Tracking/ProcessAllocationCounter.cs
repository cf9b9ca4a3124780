using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// The process's exact allocated bytes during the session, from the runtime's own counter (what
/// <c>GC.GetTotalAllocatedBytes</c> returns, published by the <c>System.Runtime</c> meter on .NET 9+ or its EventCounter
/// on .NET 8). The figure spans the readings received: from the first (or from process start, for a session that saw
/// the first instruction) to the last. Written by the processing thread, read by others.
/// </summary>
public sealed class ProcessAllocationCounter
{
    private readonly object _lock = new();
    private readonly bool _fromProcessStart;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long? _meterFirst;
    private long _meterLast;
    private long _counterSum;
    private bool _counterSeen;
    private double _lastReadingMs = double.NaN;
    private double _firstMeterReadingMs = double.NaN;

    /// <param name="fromProcessStart">The session saw the process from its first instruction: its counter started at zero.</param>
    public ProcessAllocationCounter(bool fromProcessStart) => _fromProcessStart = fromProcessStart;

    /// <summary>Completes at the first reading: from then on the total covers what the process allocates.</summary>
    public Task FirstReading => _first.Task;

    /// <summary>Completes at the next reading after the call.</summary>
    public Task NextReading
    {
        get
        {
            lock (_lock)
            {
                return _next.Task;
            }
        }
    }

    /// <summary>Bytes allocated between the first and last readings; null before any reading.</summary>
    public long? AllocatedBytes
    {
        get
        {
            lock (_lock)
            {
                if (_meterFirst is long first)
                {
                    return _meterLast - (_fromProcessStart ? 0 : first);
                }

                return _counterSeen ? _counterSum : null;
            }
        }
    }

    /// <summary>
    /// Session-relative time before which the total counts nothing: the first meter reading of a session that did not
    /// see the process start (a cumulative counter's first value has no earlier one to subtract). Null when the total
    /// covers the session from its start (EventCounter increments start at enable; a launched process starts at 0).
    /// The EventCounter would cover the start of an attached session on .NET 9+ too, but enabling the runtime's
    /// EventCounters cost the target 4–6% of its CPU per operation in the side-by-side bench (docs/performance.md):
    /// a gap the report states beats a cost the target pays.
    /// </summary>
    public double? UncoveredUntilMs
    {
        get
        {
            lock (_lock)
            {
                return _meterFirst is not null && !_fromProcessStart ? _firstMeterReadingMs : null;
            }
        }
    }

    /// <summary>Session-relative time of the last reading (NaN before any).</summary>
    public double LastReadingMs
    {
        get
        {
            lock (_lock)
            {
                return _lastReadingMs;
            }
        }
    }

    /// <summary>
    /// Completes at the first reading stamped at or after <paramref name="timestampMs"/> (session-relative), or when
    /// <paramref name="giveUp"/> completes first. Readings can reach the profiler late (EventPipe delivers in blocks):
    /// the next one to arrive may still be an older one.
    /// </summary>
    public async Task WaitForReadingAtOrAfterAsync(double timestampMs, Task giveUp)
    {
        while (!giveUp.IsCompleted && !(LastReadingMs >= timestampMs))
        {
            await Task.WhenAny(NextReading, giveUp).ConfigureAwait(false);
        }
    }

    public void OnReading(in ProcessAllocatedEvent e)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (e.Kind == AllocatedCounterKind.Meter)
            {
                if (_meterFirst is null)
                {
                    _meterFirst = e.Bytes;
                    _firstMeterReadingMs = e.TimestampMs;
                }

                _meterLast = Math.Max(_meterLast, e.Bytes);
            }
            else
            {
                // Increments since the previous poll; the first one starts when the counters were enabled.
                _counterSum += Math.Max(0, e.Bytes);
                _counterSeen = true;
            }

            _lastReadingMs = e.TimestampMs;
            signal = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _first.TrySetResult();
        signal.TrySetResult();
    }
}
