namespace TrackingProfiler.Profiler.Events;

/// <summary>A range of objects that survived a sweeping (non-compacting) GC, from <c>GCBulkSurvivingObjectRanges</c>.</summary>
internal readonly record struct SurvivingRangeEvent(double TimestampMs, int ThreadId, ulong RangeBase, ulong RangeLength);
