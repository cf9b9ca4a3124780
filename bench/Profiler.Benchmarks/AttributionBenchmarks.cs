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
    private GroupChangedEvent[] _changes = [];
    private AllocationSampleEvent[] _samples = [];

    [GlobalSetup]
    public void Setup()
    {
        _changes = new GroupChangedEvent[Events];
        _samples = new AllocationSampleEvent[Events];
        long bytes = 0;
        for (int i = 0; i < Events; i++)
        {
            bytes += 1000;
            _changes[i] = new GroupChangedEvent(i, 100 + (i % 8), i % 5, (i + 1) % 5, bytes);
            _samples[i] = new AllocationSampleEvent(i, 100 + (i % 8), SampleKind.Randomized, "System.Byte[]", (ulong)i * 64, 1024, 0);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void GroupChanged()
    {
        var attributor = new AllocationAttributor([new GroupAggregationTracker()], unseenThreadsAreRoot: true);
        foreach (ref readonly var e in _changes.AsSpan())
        {
            attributor.OnGroupChanged(e);
        }
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void AllocationSample()
    {
        var attributor = new AllocationAttributor([new GroupAggregationTracker()], unseenThreadsAreRoot: true);
        foreach (ref readonly var e in _samples.AsSpan())
        {
            attributor.OnAllocationSample(e);
        }
    }
}
