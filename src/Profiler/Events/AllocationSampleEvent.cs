namespace TrackingProfiler.Profiler.Events;

/// <summary>Which runtime event produced an allocation sample.</summary>
public enum SampleKind
{
    /// <summary><c>AllocationSampled</c> (.NET 10+): randomized, unbiased.</summary>
    Randomized,

    /// <summary><c>GCAllocationTick</c>: a fixed ~100 KB stride, biased for periodic allocation patterns.</summary>
    Tick,
}

/// <summary>
/// One sampled allocation on the allocating thread. For <see cref="SampleKind.Tick"/>,
/// <paramref name="TickAmount"/> is the bytes the tick stands for; it is 0 for randomized samples.
/// <paramref name="ActivityId"/> is the EventSource activity id the runtime stamped on the event (<see cref="Guid.Empty"/>
/// when none); <paramref name="Stack"/> the managed return addresses, leaf first, when stacks were requested (else null).
/// </summary>
public readonly record struct AllocationSampleEvent(
    double TimestampMs,
    int ThreadId,
    SampleKind Kind,
    string TypeName,
    ulong Address,
    long ObjectSize,
    long TickAmount,
    Guid ActivityId = default,
    ulong[]? Stack = null);
