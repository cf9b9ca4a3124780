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

    /// <summary>
    /// A group was merged into another (a request group named by folded path, once its route template was learned):
    /// fold what <see cref="GroupMerge.FromId"/> gathered into <see cref="GroupMerge.IntoId"/>. No later call carries
    /// the old id. A tracker that ignores it keeps the old group's figures under the old id.
    /// </summary>
    void GroupMerged(in GroupMerge merge) { }

    /// <summary>A sampled allocation, attributed to the group its thread was in (by the activity id the runtime stamped on it).</summary>
    void Allocated(in AttributedAllocation allocation);

    /// <summary>A group's exact bytes since the session started, from the target's latest cumulative totals.</summary>
    void ExactBytesUpdated(in ExactBytesUpdate update) { }

    /// <summary>A sampled object was found dead by a GC (the crate's <c>deallocated</c>).</summary>
    void Freed(in AttributedFree free) { }

    /// <summary>A sampled object reached generation 2 (once per object).</summary>
    void ReachedGen2(in AttributedSurvival survival) { }

    /// <summary>EventPipe dropped events: samples from here on may be missing; exact totals heal at the next publication.</summary>
    void EventsLost(long count) { }
}
