namespace TrackingProfiler.Profiler.Events;

/// <summary>A request or Activity whose start was seen ended (<c>Request/Stop</c>, <c>Activity/Stop</c>).</summary>
public readonly record struct ScopeStopEvent(double TimestampMs, Guid ActivityId);
