namespace TrackingProfiler.Profiler.Events;

/// <summary>Where a reading of the process's allocated-bytes counter came from.</summary>
public enum AllocatedCounterKind
{
    /// <summary>The <c>System.Runtime</c> meter's <c>dotnet.gc.heap.total_allocated</c> (.NET 9+): a cumulative value.</summary>
    Meter,

    /// <summary>The <c>System.Runtime</c> EventCounter <c>alloc-rate</c> (.NET 8 and later): bytes since the previous reading.</summary>
    EventCounter,
}

/// <summary>
/// One reading of the runtime's own count of bytes the process allocated (<c>GC.GetTotalAllocatedBytes</c> behind both
/// counters). <paramref name="Bytes"/> is cumulative for <see cref="AllocatedCounterKind.Meter"/> and an increment since the
/// previous reading for <see cref="AllocatedCounterKind.EventCounter"/>.
/// </summary>
public readonly record struct ProcessAllocatedEvent(double TimestampMs, AllocatedCounterKind Kind, long Bytes);
