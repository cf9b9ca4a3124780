using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// The engine's core: consumes the project's event records in stream order, keeps each thread's group, and hands
/// attributed allocations, exact intervals and (with a heap tracker) frees to the trackers.
/// </summary>
public sealed class AllocationAttributor : IProfilerEventSink
{
    private readonly ThreadGroupTable _threads;
    private readonly IAllocationTracker[] _trackers;
    private readonly HeapSurvivalTracker? _heap;
    private readonly ForeignActivityGroups? _foreign;

    /// <param name="trackers">Receivers of attributed events, called in order.</param>
    /// <param name="unseenThreadsAreRoot">True when the session started before the process's first instruction.</param>
    /// <param name="trackFrees">Follow sampled objects through GCs to infer frees.</param>
    /// <param name="foreign">With <c>--group-by requests|activities</c>: resolves samples' activity ids to request or Activity groups.</param>
    public AllocationAttributor(IEnumerable<IAllocationTracker> trackers, bool unseenThreadsAreRoot, bool trackFrees = false, ForeignActivityGroups? foreign = null)
    {
        _trackers = trackers.ToArray();
        _foreign = foreign;
        foreach (var group in foreign?.FixedGroups() ?? [])
        {
            Announce(group);
        }

        _threads = new ThreadGroupTable(unseenThreadsAreRoot);
        if (trackFrees)
        {
            _heap = new HeapSurvivalTracker(OnFree, OnReachedGen2);
        }
    }

    /// <summary>The per-thread state, for diagnostics in reports.</summary>
    public ThreadGroupTable Threads => _threads;

    /// <summary>The heap tracker, when frees are tracked.</summary>
    public HeapSurvivalTracker? Heap => _heap;

    /// <summary>The request/Activity groups, when samples are grouped by them.</summary>
    public ForeignActivityGroups? Foreign => _foreign;

    public void OnGroupRegistered(in GroupRegisteredEvent e) => Announce(new GroupInfo(e.GroupId, e.Name, e.Tags));

    public void OnRequestStart(in RequestStartEvent e)
    {
        if (_foreign?.OnRequestStart(e) is { } created)
        {
            Announce(created);
        }
    }

    public void OnActivityStart(in ActivityStartEvent e)
    {
        if (_foreign?.OnActivityStart(e) is { } created)
        {
            Announce(created);
        }
    }

    public void OnScopeStop(in ScopeStopEvent e) => _foreign?.OnStop(e);

    public void OnGroupChanged(in GroupChangedEvent e)
    {
        if (_threads.Apply(e) is { } interval)
        {
            foreach (var tracker in _trackers)
            {
                tracker.ExactBytesAttributed(interval);
            }
        }
    }

    public void OnAllocationSample(in AllocationSampleEvent e)
    {
        double weight = e.Kind == SampleKind.Tick ? e.TickAmount : SampleWeight.Of(e.ObjectSize);
        // With requests/Activities the runtime's ActivityTracker owns the thread's activity id: it alone says the group.
        int group = _foreign?.Resolve(e.ActivityId) ?? _threads.CurrentGroup(e.ThreadId);
        var allocation = new AttributedAllocation(
            group, e.TypeName, e.ObjectSize, weight, e.Kind, e.ThreadId, e.Address, e.TimestampMs);
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
        _threads.Reset();
        _heap?.OnEventsLost(e);
        foreach (var tracker in _trackers)
        {
            tracker.EventsLost(e.Count);
        }
    }

    private void Announce(GroupInfo group)
    {
        foreach (var tracker in _trackers)
        {
            tracker.GroupRegistered(group);
        }
    }

    private void OnReachedGen2(AttributedSurvival survival)
    {
        foreach (var tracker in _trackers)
        {
            tracker.ReachedGen2(survival);
        }
    }

    private void OnFree(AttributedFree free)
    {
        foreach (var tracker in _trackers)
        {
            tracker.Freed(free);
        }
    }
}
