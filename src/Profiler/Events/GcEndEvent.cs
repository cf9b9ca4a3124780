namespace TrackingProfiler.Profiler.Events;

/// <summary>A GC finished (<c>GCEnd</c>/<c>GCStop</c>).</summary>
internal readonly record struct GcEndEvent(double TimestampMs, int ThreadId, int Number, int Depth);
