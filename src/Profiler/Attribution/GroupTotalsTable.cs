using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Turns the target's cumulative per-group totals (<c>GroupAllocated</c>) into exact bytes since the session
/// started: the latest total minus the group's baseline. Because every publication carries the whole running total,
/// a lost or late publication is healed by the next one, and the order in which they arrive does not matter
/// (the largest total seen is the latest: totals never decrease).
/// </summary>
/// <remarks>
/// The baseline is what the group had allocated before the session. Started before the first instruction, that is
/// zero for every group. Attached, the library publishes every group's total when the session enables it (the
/// rundown, written by the enabling thread in one burst): the first total of a group in that burst is its baseline.
/// A group first seen after the rundown was registered during the session, so it starts at zero. The rundown ends at
/// the first event of the groups provider written by another thread, or at a second total for the same group.
/// </remarks>
internal sealed class GroupTotalsTable(SessionStart start)
{
    private readonly Dictionary<int, Totals> _groups = [];
    private bool _rundownOpen = start == SessionStart.Attached;
    private int? _rundownThread;

    /// <summary>The stream time of the newest totals received, if any.</summary>
    public double? NewestTotalsMs { get; private set; }

    /// <summary>Totals that arrived lower than one already seen for the group (out of order): ignored.</summary>
    public long StaleTotals { get; private set; }

    /// <summary>Notes that an event of the groups provider was written by <paramref name="threadId"/>.</summary>
    public void SawProviderEvent(int threadId)
    {
        if (!_rundownOpen)
        {
            return;
        }

        _rundownThread ??= threadId;
        if (_rundownThread != threadId)
        {
            _rundownOpen = false;
        }
    }

    /// <summary>Applies one publication; returns the group's exact bytes since the session started when they changed.</summary>
    public ExactBytesUpdate? Apply(in GroupAllocatedEvent e)
    {
        SawProviderEvent(e.ThreadId);
        NewestTotalsMs = Math.Max(NewestTotalsMs ?? double.MinValue, e.TimestampMs);
        if (!_groups.TryGetValue(e.GroupId, out var totals))
        {
            totals = new Totals { Baseline = _rundownOpen ? e.AllocatedBytes : 0, Latest = e.AllocatedBytes, LatestMs = e.TimestampMs };
            _groups[e.GroupId] = totals;
            return new ExactBytesUpdate(e.GroupId, totals.Latest - totals.Baseline, e.TimestampMs);
        }

        if (_rundownOpen)
        {
            // A second total for a group: the periodic publications have begun, so the rundown is over.
            _rundownOpen = false;
        }

        if (e.AllocatedBytes < totals.Latest)
        {
            StaleTotals++;
            return null;
        }

        totals.Latest = e.AllocatedBytes;
        totals.LatestMs = e.TimestampMs;
        return new ExactBytesUpdate(e.GroupId, totals.Latest - totals.Baseline, e.TimestampMs);
    }

    private sealed class Totals
    {
        public long Baseline { get; init; }

        public long Latest { get; set; }

        public double LatestMs { get; set; }
    }
}
