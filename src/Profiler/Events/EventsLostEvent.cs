namespace TrackingProfiler.Profiler.Events;

/// <summary>EventPipe dropped <paramref name="Count"/> events since the previous report (buffers full).</summary>
internal readonly record struct EventsLostEvent(double TimestampMs, long Count);
