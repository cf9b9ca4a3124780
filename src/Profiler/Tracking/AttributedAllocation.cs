using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// One sampled allocation and the group it is attributed to. <see cref="Weight"/> is the number of bytes this
/// sample stands for (unbiased for <see cref="SampleKind.Randomized"/>); <see cref="GroupId"/> is
/// <see cref="Attribution.GroupIds.Unknown"/> when the thread's group was not known yet. <see cref="Stack"/> is the
/// sample's managed return addresses, leaf first, when stacks were recorded (else null).
/// </summary>
public readonly record struct AttributedAllocation(
    int GroupId,
    string TypeName,
    long ObjectSize,
    double Weight,
    SampleKind Kind,
    int ThreadId,
    ulong Address,
    double TimestampMs,
    ulong[]? Stack = null);
