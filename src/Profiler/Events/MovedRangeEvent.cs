namespace TrackingProfiler.Profiler.Events;

/// <summary>A range of objects that survived a compacting GC and moved, from <c>GCBulkMovedObjectRanges</c>.</summary>
internal readonly record struct MovedRangeEvent(double TimestampMs, int ThreadId, ulong OldRangeBase, ulong NewRangeBase, ulong RangeLength);
