using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// The built-in tracker: per-group totals (exact bytes, sampled estimate with interval, top types, frees).
/// Written by the processing thread, read by the live view and the report: every access takes one lock.
/// </summary>
public sealed class GroupAggregationTracker : IAllocationTracker
{
    private readonly object _lock = new();
    private readonly Dictionary<int, GroupAccumulator> _groups = [];
    private readonly bool _freesTracked;
    private long _eventsLost;
    private long _unknownSamples;

    /// <param name="freesTracked">Whether frees are inferred, so that live and freed bytes mean something.</param>
    public GroupAggregationTracker(bool freesTracked = false) => _freesTracked = freesTracked;

    public long EventsLostCount
    {
        get
        {
            lock (_lock)
            {
                return _eventsLost;
            }
        }
    }

    public long UnknownThreadSamples
    {
        get
        {
            lock (_lock)
            {
                return _unknownSamples;
            }
        }
    }

    public void GroupRegistered(in GroupInfo group)
    {
        lock (_lock)
        {
            var acc = Get(group.Id);
            acc.Name = group.Name;
            acc.Tags = group.Tags;
        }
    }

    public void Allocated(in AttributedAllocation allocation)
    {
        lock (_lock)
        {
            Get(allocation.GroupId).AddSample(allocation);
            if (allocation.GroupId == GroupIds.Unknown)
            {
                _unknownSamples++;
            }
        }
    }

    public void ExactBytesAttributed(in ExactBytesInterval interval)
    {
        lock (_lock)
        {
            var acc = Get(interval.GroupId);
            acc.ExactBytes += interval.Bytes;
            acc.ExactIntervals++;
        }
    }

    public void Freed(in AttributedFree free)
    {
        lock (_lock)
        {
            var acc = Get(free.SourceGroupId);
            acc.FreedBytes += free.Weight;
            acc.Live.Remove(free.ObjectSize, free.Weight);
        }
    }

    public void ReachedGen2(in AttributedSurvival survival)
    {
        lock (_lock)
        {
            Get(survival.SourceGroupId).Gen2Bytes += survival.Weight;
        }
    }

    public void EventsLost(long count)
    {
        lock (_lock)
        {
            _eventsLost += count;
        }
    }

    /// <summary>A consistent copy of every group's figures, largest first (exact bytes, then estimate).</summary>
    /// <param name="processId">The process the groups belong to, copied into each row.</param>
    /// <param name="maxTypes">How many types to keep per group, largest first.</param>
    /// <param name="exactMeasured">
    /// False when the session measures no exact bytes per thread (requests and Activities): then only groups that did
    /// receive exact figures report them, and the others say they have none.
    /// </param>
    public IReadOnlyList<GroupReport> Snapshot(int processId, int maxTypes = 10, bool exactMeasured = true)
    {
        lock (_lock)
        {
            var rows = new List<GroupReport>(_groups.Count);
            foreach (var acc in _groups.Values)
            {
                var row = ToReport(acc, processId, maxTypes);
                bool hasExact = exactMeasured ? !ZeroCodeGroupIds.IsZeroCode(acc.Id) : acc.ExactIntervals > 0;
                if (!hasExact && acc.Allocated.Samples == 0 && ZeroCodeGroupIds.IsZeroCode(acc.Id))
                {
                    continue; // a fixed row (outside, unresolved, overflow) that nothing reached
                }

                rows.Add(row with { HasExactBytes = hasExact });
            }

            rows.Sort(static (a, b) =>
            {
                int byExact = b.AllocatedBytes.CompareTo(a.AllocatedBytes);
                return byExact != 0 ? byExact : b.EstimatedBytes.CompareTo(a.EstimatedBytes);
            });
            return rows;
        }
    }

    private GroupReport ToReport(GroupAccumulator acc, int processId, int maxTypes)
    {
        bool randomized = !acc.HasTickSamples;
        var (low, high) = acc.Allocated.Interval95();
        var (liveLow, liveHigh) = acc.Live.Interval95();
        return new GroupReport
        {
            Id = acc.Id,
            ProcessId = processId,
            Name = acc.Name ?? DefaultName(acc.Id),
            Tags = acc.Tags.Select(t => new TagReport(t.Key, t.Value)).ToArray(),
            AllocatedBytes = acc.ExactBytes,
            ExactIntervals = acc.ExactIntervals,
            EstimatedBytes = Round(acc.Allocated.Estimate),
            EstimatedBytesLow = randomized ? Round(low) : null,
            EstimatedBytesHigh = randomized ? Round(high) : null,
            Samples = acc.Allocated.Samples,
            Types = acc.Types
                .OrderByDescending(t => t.Value.Bytes)
                .Take(maxTypes)
                .Select(t => new TypeReport(t.Key, Round(t.Value.Bytes), t.Value.Samples))
                .ToArray(),
            FreedBytes = _freesTracked ? Round(acc.FreedBytes) : null,
            LiveBytes = _freesTracked ? Round(acc.Live.Estimate) : null,
            LiveBytesLow = _freesTracked && randomized ? Round(liveLow) : null,
            LiveBytesHigh = _freesTracked && randomized ? Round(liveHigh) : null,
            Gen2Bytes = _freesTracked ? Round(acc.Gen2Bytes) : null,
        };
    }

    private static string DefaultName(int id) => id switch
    {
        GroupIds.Root => "(root)",
        GroupIds.Unknown => "(unknown)",
        _ => $"(group {id})",
    };

    private static long Round(double value) => (long)Math.Round(value, MidpointRounding.AwayFromZero);

    private GroupAccumulator Get(int id)
    {
        if (!_groups.TryGetValue(id, out var acc))
        {
            acc = new GroupAccumulator(id);
            _groups[id] = acc;
        }

        return acc;
    }
}
