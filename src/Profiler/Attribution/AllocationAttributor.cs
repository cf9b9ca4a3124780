using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// The engine's core: consumes the project's event records in stream order and hands the trackers attributed
/// samples (by the activity id stamped on each), exact bytes per group (from the target's cumulative totals) and,
/// with frees followed, frees. Single-threaded: call it from the event-processing thread only.
/// </summary>
internal sealed class AllocationAttributor : IProfilerEventSink
{
    /// <summary>Groups followed one by one per process; the rest are pooled into one row (see <see cref="GroupCap"/>).</summary>
    public const int DefaultGroupCapacity = 10_000;

    private readonly IAllocationTracker[] _trackers;
    private readonly ActivityAttribution _activities;
    private readonly GroupTotalsTable _totals;
    private readonly GroupCap _cap;
    private readonly HeapSurvivalAnalyzer? _heap;
    private readonly Dictionary<int, int> _mergedInto = [];

    /// <param name="trackers">Receivers of attributed events, called in order.</param>
    /// <param name="start">How the session started: decides the baseline of exact bytes.</param>
    /// <param name="trackFrees">Follow sampled objects through GCs to infer frees.</param>
    /// <param name="foreignActivities">Claims samples whose activity id the Grouping library did not set; null leaves them foreign.</param>
    /// <param name="groupCapacity">How many groups to follow one by one.</param>
    public AllocationAttributor(
        IEnumerable<IAllocationTracker> trackers,
        SessionStart start,
        bool trackFrees = false,
        IForeignActivityResolver? foreignActivities = null,
        int groupCapacity = DefaultGroupCapacity)
    {
        _trackers = trackers.ToArray();
        _activities = new ActivityAttribution(foreignActivities);
        _totals = new GroupTotalsTable(start);
        _cap = new GroupCap(groupCapacity);
        if (trackFrees)
        {
            _heap = new HeapSurvivalAnalyzer(OnFree, OnReachedGen2);
        }
    }

    /// <summary>What attribution saw; read it once processing is over (the attributor is single-threaded).</summary>
    public AttributionStatistics Statistics => new(
        _activities.ForeignSamples, _cap.Capacity, _cap.OverflowEvents, _totals.NewestTotalsMs, _totals.StaleTotals, _heap?.Statistics);

    public void OnGroupRegistered(in GroupRegisteredEvent e)
    {
        _totals.SawProviderEvent(e.ThreadId);
        int id = _cap.Admit(e.GroupId);
        if (id != e.GroupId)
        {
            // Over the cap: the overflow row has no single name, and keeping this one would defeat the cap.
            return;
        }

        var info = new GroupInfo(e.GroupId, e.Name, e.Tags);
        foreach (var tracker in _trackers)
        {
            tracker.GroupRegistered(info);
        }
    }

    public void OnGroupAllocated(in GroupAllocatedEvent e)
    {
        if (_cap.Admit(e.GroupId) != e.GroupId)
        {
            // Exact bytes need a baseline per group: none is kept beyond the cap, so the overflow row has no exact figure.
            _totals.SawProviderEvent(e.ThreadId);
            return;
        }

        if (_totals.Apply(e) is { } update)
        {
            foreach (var tracker in _trackers)
            {
                tracker.ExactBytesUpdated(update);
            }
        }
    }

    /// <summary>
    /// A zero-code group turned out to be part of another (see <see cref="ForeignActivityGroups"/>): the trackers fold
    /// it, and from here on whatever still carries the old id (objects sampled before, followed for frees) gets the new one.
    /// </summary>
    public void OnGroupsMerged(in GroupMerge merge)
    {
        if (merge.FromId == merge.IntoId || GroupIds.IsPseudo(merge.FromId) || merge.FromId == GroupIds.Root)
        {
            return;
        }

        _mergedInto[merge.FromId] = merge.IntoId;
        foreach (var tracker in _trackers)
        {
            tracker.GroupMerged(merge);
        }
    }

    public void OnAllocationSample(in AllocationSampleEvent e)
    {
        double weight = e.Kind == SampleKind.Tick ? e.TickAmount : SampleWeight.Of(e.ObjectSize);
        int group = _cap.Admit(Current(_activities.GroupOf(e)));
        var allocation = new AttributedAllocation(group, e.TypeName, e.ObjectSize, weight, e.Kind, e.ThreadId, e.Address, e.TimestampMs, e.Stack);
        foreach (var tracker in _trackers)
        {
            tracker.Allocated(allocation);
        }

        _heap?.OnAllocation(allocation);
    }

    public void OnGcStart(in GcStartEvent e) => _heap?.OnGcStart(e);

    public void OnGcEnd(in GcEndEvent e) => _heap?.OnGcEnd(e);

    public void OnSurvivingRange(in SurvivingRangeEvent e) => _heap?.OnSurvivingRange(e);

    public void OnMovedRange(in MovedRangeEvent e) => _heap?.OnMovedRange(e);

    public void OnGenerationRange(in GenerationRangeEvent e) => _heap?.OnGenerationRange(e);

    public void OnEventsLost(in EventsLostEvent e)
    {
        // Samples were lost (estimates err low); exact totals need no repair: the next publication carries them whole.
        _heap?.OnEventsLost(e);
        foreach (var tracker in _trackers)
        {
            tracker.EventsLost(e.Count);
        }
    }

    /// <summary>The id a group goes by now: merges only ever point at groups that are never merged themselves.</summary>
    private int Current(int groupId) => _mergedInto.Count == 0 ? groupId : _mergedInto.GetValueOrDefault(groupId, groupId);

    private void OnReachedGen2(AttributedSurvival survival)
    {
        survival = survival with { SourceGroupId = Current(survival.SourceGroupId) };
        foreach (var tracker in _trackers)
        {
            tracker.ReachedGen2(survival);
        }
    }

    private void OnFree(AttributedFree free)
    {
        free = free with { SourceGroupId = Current(free.SourceGroupId) };
        foreach (var tracker in _trackers)
        {
            tracker.Freed(free);
        }
    }
}
