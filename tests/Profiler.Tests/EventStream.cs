using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Tests;

/// <summary>Builds synthetic event sequences and runs them through the real attributor and aggregation.</summary>
internal sealed class EventStream
{
    private readonly List<Action<IProfilerEventSink>> _events = [];
    private double _time;

    public EventStream Register(int id, string name, params (string, string)[] tags) =>
        Add(s => s.OnGroupRegistered(new GroupRegisteredEvent(_time, 1, id, name, tags)));

    public EventStream Change(int thread, int from, int to, long counter) =>
        Add(s => s.OnGroupChanged(new GroupChangedEvent(_time, thread, from, to, counter)));

    public EventStream Sample(int thread, long size, string type = "System.Byte[]") =>
        Add(s => s.OnAllocationSample(new AllocationSampleEvent(_time, thread, SampleKind.Randomized, type, 0x1000, size, 0)));

    public EventStream Tick(int thread, long amount, string type = "System.Byte[]") =>
        Add(s => s.OnAllocationSample(new AllocationSampleEvent(_time, thread, SampleKind.Tick, type, 0x1000, 24, amount)));

    public EventStream Lost(long count) => Add(s => s.OnEventsLost(new EventsLostEvent(_time, count)));

    public (GroupAggregationTracker Aggregation, AllocationAttributor Attributor) Run(bool fromFirstInstruction = false, params IAllocationTracker[] extra)
    {
        var aggregation = new GroupAggregationTracker();
        var attributor = new AllocationAttributor(extra.Prepend(aggregation), fromFirstInstruction);
        foreach (var e in _events)
        {
            e(attributor);
        }

        return (aggregation, attributor);
    }

    public IReadOnlyList<GroupReport> Groups(bool fromFirstInstruction = false) => Run(fromFirstInstruction).Aggregation.Snapshot(42);

    private EventStream Add(Action<IProfilerEventSink> e)
    {
        _time += 1;
        _events.Add(e);
        return this;
    }
}
