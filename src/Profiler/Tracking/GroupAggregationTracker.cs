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

    public void GroupRegistered(in GroupInfo group)
    {
        lock (_lock)
        {
            var acc = Get(group.Id);
            acc.Name = group.Name;
            acc.Tags = group.Tags;
        }
    }

    public void GroupMerged(in GroupMerge merge)
    {
        lock (_lock)
        {
            if (merge.FromId != merge.IntoId && _groups.Remove(merge.FromId, out var from))
            {
                Get(merge.IntoId).Absorb(from);
            }
        }
    }

    public void Allocated(in AttributedAllocation allocation)
    {
        lock (_lock)
        {
            Get(allocation.GroupId).AddSample(allocation);
        }
    }

    public void ExactBytesUpdated(in ExactBytesUpdate update)
    {
        lock (_lock)
        {
            var acc = Get(update.GroupId);
            acc.ExactBytes = update.Bytes;
            acc.ExactAsOfMs = update.TimestampMs;
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

    /// <summary>
    /// Groups that have exact bytes and were sampled after their last totals: proof that their exact figure misses
    /// bytes (the totals that would carry them were lost, or not published yet).
    /// </summary>
    public int GroupsSampledAfterTheirTotals()
    {
        lock (_lock)
        {
            return _groups.Values.Count(g => g.ExactAsOfMs is double asOf && g.LastSampleMs > asOf);
        }
    }

    /// <summary>A consistent copy of every group's figures, largest first (exact bytes, then estimate).</summary>
    /// <param name="processId">The process the groups belong to, copied into each row.</param>
    /// <param name="maxTypes">How many types to keep per group, largest first.</param>
    /// <param name="sessionEndMs">Stream time the session ended (or now), to say how old each group's exact figure is.</param>
    public IReadOnlyList<GroupReport> Snapshot(int processId, int maxTypes = 10, double? sessionEndMs = null)
    {
        lock (_lock)
        {
            var rows = new List<GroupReport>(_groups.Count);
            foreach (var acc in _groups.Values)
            {
                rows.Add(ToReport(acc, processId, maxTypes, sessionEndMs));
            }

            rows.Sort(static (a, b) =>
            {
                int byExact = (b.AllocatedBytes ?? -1).CompareTo(a.AllocatedBytes ?? -1);
                return byExact != 0 ? byExact : b.EstimatedBytes.CompareTo(a.EstimatedBytes);
            });
            return rows;
        }
    }

    private GroupReport ToReport(GroupAccumulator acc, int processId, int maxTypes, double? sessionEndMs)
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
            ExactAgeSeconds = acc.ExactAsOfMs is double asOf && sessionEndMs is double end ? Math.Round(Math.Max(0, end - asOf) / 1000, 3) : null,
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
        GroupIds.ForeignActivity => "(foreign activity)",
        GroupIds.Overflow => "(groups over the cap)",
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
