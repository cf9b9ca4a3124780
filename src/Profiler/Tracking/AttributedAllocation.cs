using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// One sampled allocation and the group it is attributed to. <see cref="Weight"/> is the number of bytes this
/// sample stands for (unbiased for <see cref="SampleKind.Randomized"/>); <see cref="GroupId"/> is a group of the target,
/// <see cref="GroupIds.Root"/>, or a pseudo-group (<see cref="GroupIds.ForeignActivity"/>, <see cref="GroupIds.Overflow"/>).
/// <see cref="Stack"/> is the sample's managed return addresses, leaf first, when stacks were recorded (else null).
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
