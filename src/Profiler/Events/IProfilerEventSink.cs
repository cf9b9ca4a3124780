namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// Receives the project's own event records, in stream order. The TraceEvent decoder feeds it live or from a
/// recorded file; tests feed it synthetic sequences. Nothing downstream of a sink sees TraceEvent types.
/// </summary>
internal interface IProfilerEventSink
{
    void OnGroupRegistered(in GroupRegisteredEvent e);

    void OnGroupAllocated(in GroupAllocatedEvent e);

    void OnAllocationSample(in AllocationSampleEvent e);

    void OnGcStart(in GcStartEvent e) { }

    void OnGcEnd(in GcEndEvent e) { }

    void OnSurvivingRange(in SurvivingRangeEvent e) { }

    void OnMovedRange(in MovedRangeEvent e) { }

    void OnGenerationRange(in GenerationRangeEvent e) { }

    void OnEventsLost(in EventsLostEvent e) { }
}
