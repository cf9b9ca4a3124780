namespace TrackingProfiler.Profiler.Events;

/// <summary>The kind of a GC, as the runtime reports it in <c>GCStart</c>.</summary>
internal enum GcKind
{
    /// <summary>A blocking GC outside a background GC.</summary>
    NonConcurrent = 0,

    /// <summary>A background (concurrent) gen2 GC.</summary>
    Background = 1,

    /// <summary>A blocking ephemeral GC that runs while a background GC is in progress.</summary>
    ForegroundDuringBackground = 2,
}

/// <summary>A GC began; <paramref name="Depth"/> is the highest generation it condemns.</summary>
internal readonly record struct GcStartEvent(double TimestampMs, int ThreadId, int Number, int Depth, GcKind Kind);
