using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>Follows sampled objects through GCs to infer frees. (Being implemented for issue #5.)</summary>
public sealed class HeapSurvivalTracker
{
    private readonly Action<AttributedFree> _onFree;

    public HeapSurvivalTracker(Action<AttributedFree> onFree, Action<AttributedSurvival>? onReachedGen2 = null)
    {
        _onFree = onFree;
        _ = onReachedGen2;
    }

    public void OnAllocation(in AttributedAllocation allocation) { }

    public void OnGcStart(in GcStartEvent e) { }

    public void OnGcEnd(in GcEndEvent e) { }

    public void OnSurvivingRange(in SurvivingRangeEvent e) { }

    public void OnMovedRange(in MovedRangeEvent e) { }

    public void OnGenerationRange(in GenerationRangeEvent e) { }
}
