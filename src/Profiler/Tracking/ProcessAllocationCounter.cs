using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// The process's exact allocated bytes during the session, from the runtime's own counter (<c>GC.GetTotalAllocatedBytes</c>
/// behind both). An attached session sums the increments of the <c>System.Runtime</c> EventCounter <c>alloc-rate</c>,
/// whose baseline is taken when the session enables it, so the sum covers the session from its start (the meter's
/// cumulative value would leave out the first interval: its first reading has nothing to subtract from). A session that
/// starts with the process reads the meter's cumulative value on .NET 9+ (the EventCounter enabled before the first
/// instruction stalled a .NET 10 app's start-up), the EventCounter on .NET 8. Up to the last reading either way.
/// Written by the processing thread, read by others.
/// </summary>
public sealed class ProcessAllocationCounter
{
    private readonly object _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sum;
    private bool _seen;
    private long? _cumulative;
    private double _lastReadingMs = double.NaN;

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

    /// <summary>Bytes allocated from the session's start to the last reading; null before any reading.</summary>
    public long? AllocatedBytes
    {
        get
        {
            lock (_lock)
            {
                // The meter counts from the process start; it is only asked for when the session started there too.
                return _cumulative ?? (_seen ? _sum : null);
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
                _cumulative = Math.Max(_cumulative ?? 0, e.Bytes);
            }
            else
            {
                _sum += Math.Max(0, e.Bytes);
                _seen = true;
            }

            _lastReadingMs = Math.Max(double.IsNaN(_lastReadingMs) ? e.TimestampMs : _lastReadingMs, e.TimestampMs);
            signal = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _first.TrySetResult();
        signal.TrySetResult();
    }
}
