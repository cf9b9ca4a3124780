namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// A thread's current group changed from <paramref name="FromGroupId"/> to <paramref name="ToGroupId"/>;
/// <paramref name="ThreadAllocatedBytes"/> is the thread's allocated-bytes counter at that moment.
/// </summary>
public readonly record struct GroupChangedEvent(double TimestampMs, int ThreadId, int FromGroupId, int ToGroupId, long ThreadAllocatedBytes);
