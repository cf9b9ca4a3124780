namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// The extension point (the crate's <c>AllocationTracker</c> trait): receives every attributed allocation and,
/// with frees tracked, every inferred free. Runs in the profiler process on the event-processing thread, so an
/// implementation may allocate and lock freely but should be quick: it delays the processing of later events.
/// </summary>
public interface IAllocationTracker
{
    /// <summary>A group's name became known (registration or rundown).</summary>
    void GroupRegistered(in GroupInfo group) { }

    /// <summary>A sampled allocation, attributed to the group its thread was in.</summary>
    void Allocated(in AttributedAllocation allocation);

    /// <summary>An exact interval: a thread allocated <see cref="ExactBytesInterval.Bytes"/> while in a group.</summary>
    void ExactBytesAttributed(in ExactBytesInterval interval) { }

    /// <summary>A sampled object was found dead by a GC (the crate's <c>deallocated</c>).</summary>
    void Freed(in AttributedFree free) { }

    /// <summary>A sampled object reached generation 2 (once per object).</summary>
    void ReachedGen2(in AttributedSurvival survival) { }

    /// <summary>EventPipe dropped events: figures from here on may be incomplete.</summary>
    void EventsLost(long count) { }
}
