namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// A group's exact bytes since the session started, as of the target's totals published at <see cref="TimestampMs"/>
/// (stream time). Each update replaces the previous one for the group: the figure is cumulative, not an increment.
/// </summary>
public readonly record struct ExactBytesUpdate(int GroupId, long Bytes, double TimestampMs);
