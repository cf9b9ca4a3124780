namespace TrackingProfiler.Profiler.Events;

/// <summary>The address range a generation occupies, from <c>GCGenerationRange</c>.</summary>
internal readonly record struct GenerationRangeEvent(double TimestampMs, int ThreadId, int Generation, ulong RangeStart, ulong RangeUsedLength);
