using BenchmarkDotNet.Attributes;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Benchmarks;

/// <summary>Engine cost per event, without parsing: what the attributor and the aggregation add to TraceEvent's own cost.</summary>
[MemoryDiagnoser]
public class AttributionBenchmarks
{
    private const int Events = 100_000;
    private GroupAllocatedEvent[] _totals = [];
    private AllocationSampleEvent[] _samples = [];

    [GlobalSetup]
    public void Setup()
    {
        _totals = new GroupAllocatedEvent[Events];
        _samples = new AllocationSampleEvent[Events];
        for (int i = 0; i < Events; i++)
        {
            _totals[i] = new GroupAllocatedEvent(i, 100, 1 + (i % 5), 1000L * i);
            var activity = EventContract.ActivityIds.Encode(i % 5);
            _samples[i] = new AllocationSampleEvent(i, 100 + (i % 8), SampleKind.Randomized, "System.Byte[]", (ulong)i * 64, 1024, 0, activity);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void GroupAllocated()
    {
        var attributor = new AllocationAttributor([new GroupAggregationTracker()], SessionStart.BeforeFirstInstruction);
        foreach (ref readonly var e in _totals.AsSpan())
        {
            attributor.OnGroupAllocated(e);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void AllocationSample()
    {
        var attributor = new AllocationAttributor([new GroupAggregationTracker()], SessionStart.BeforeFirstInstruction);
        foreach (ref readonly var e in _samples.AsSpan())
        {
            attributor.OnAllocationSample(e);
        }
    }
}
