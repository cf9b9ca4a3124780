using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests;

/// <summary>
/// Builds synthetic event sequences as the target and the runtime would write them (contract v2) and runs them
/// through the real attributor and aggregation.
/// </summary>
internal sealed class EventStream
{
    /// <summary>The thread that writes the rundown when a session enables the provider.</summary>
    public const int RundownThread = 1;

    /// <summary>The target's timer thread, which publishes totals periodically.</summary>
    public const int TimerThread = 2;

    private readonly List<Action<IProfilerEventSink>> _events = [];
    private double _time;

    public EventStream Register(int id, string name, params (string, string)[] tags) => Register(id, name, RundownThread, tags);

    public EventStream Register(int id, string name, int thread, params (string, string)[] tags) =>
        Add(s => s.OnGroupRegistered(new GroupRegisteredEvent(_time, thread, id, name, tags)));

    /// <summary>A cumulative total for <paramref name="group"/>, written by <paramref name="thread"/>.</summary>
    public EventStream Totals(int group, long cumulative, int thread = TimerThread) =>
        Add(s => s.OnGroupAllocated(new GroupAllocatedEvent(_time, thread, group, cumulative)));

    /// <summary>A randomized sample on a thread whose activity id marks <paramref name="group"/> (root: the empty id).</summary>
    public EventStream Sample(int group, long size, string type = "System.Byte[]", int thread = 10) =>
        SampleWithActivity(group == GroupIds.Root ? Guid.Empty : EventContract.ActivityIds.Encode(group), size, type, thread);

    public EventStream SampleWithActivity(Guid activityId, long size, string type = "System.Byte[]", int thread = 10) =>
        Add(s => s.OnAllocationSample(new AllocationSampleEvent(_time, thread, SampleKind.Randomized, type, 0x1000, size, 0, activityId)));

    public EventStream Tick(int group, long amount, string type = "System.Byte[]") =>
        Add(s => s.OnAllocationSample(new AllocationSampleEvent(_time, 10, SampleKind.Tick, type, 0x1000, 24, amount, EventContract.ActivityIds.Encode(group))));

    public EventStream Lost(long count) => Add(s => s.OnEventsLost(new EventsLostEvent(_time, count)));

    /// <summary>Lets <paramref name="ms"/> of stream time pass.</summary>
    public EventStream Wait(double ms)
    {
        _events.Add(_ => _time += ms);
        return this;
    }

    public (GroupAggregationTracker Aggregation, AllocationAttributor Attributor) Run(
        SessionStart start = SessionStart.Attached,
        IForeignActivityResolver? foreign = null,
        int groupCapacity = AllocationAttributor.DefaultGroupCapacity,
        params IAllocationTracker[] extra)
    {
        _time = 0;
        var aggregation = new GroupAggregationTracker();
        var attributor = new AllocationAttributor(extra.Prepend(aggregation), start, trackFrees: false, foreign, groupCapacity);
        foreach (var e in _events)
        {
            e(attributor);
        }

        return (aggregation, attributor);
    }

    public IReadOnlyList<GroupReport> Groups(SessionStart start = SessionStart.Attached) => Run(start).Aggregation.Snapshot(42);

    private EventStream Add(Action<IProfilerEventSink> e)
    {
        _events.Add(s =>
        {
            _time += 1;
            e(s);
        });
        return this;
    }
}
