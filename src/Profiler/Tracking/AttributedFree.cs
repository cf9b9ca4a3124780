namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// A sampled object found dead by GC number <see cref="GcNumber"/>; <see cref="SourceGroupId"/> is the group that
/// allocated it and <see cref="Weight"/> the bytes the sample stands for (an estimate).
/// </summary>
public readonly record struct AttributedFree(
    int SourceGroupId,
    string TypeName,
    long ObjectSize,
    double Weight,
    ulong Address,
    int GcNumber,
    double TimestampMs);
