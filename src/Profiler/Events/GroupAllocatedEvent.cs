namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// A group's cumulative exact bytes as the target publishes them (<c>GroupAllocated</c>, contract v2):
/// <paramref name="AllocatedBytes"/> counts every byte the group allocated since the process first turned accounting
/// on, so it never decreases and a lost publication is healed by the next one.
/// </summary>
internal readonly record struct GroupAllocatedEvent(double TimestampMs, int ThreadId, int GroupId, long AllocatedBytes);
