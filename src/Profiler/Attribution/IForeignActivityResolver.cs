using TrackingProfiler.Profiler.Events;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Claims samples whose activity id was not set by the Grouping library: ids that TPL's ActivityTracker gives
/// Start/Stop activities (a request, an <c>Activity</c>), so that such samples can be attributed to a group the
/// resolver defines. The seam for zero-code grouping; without a resolver those samples stay in the foreign row.
/// </summary>
public interface IForeignActivityResolver
{
    /// <summary>
    /// The group <paramref name="sample"/> belongs to, judged by its <see cref="AllocationSampleEvent.ActivityId"/>
    /// (never <see cref="Guid.Empty"/> nor one of the contract's ids); false to leave it foreign. Called on the
    /// event-processing thread, in stream order.
    /// </summary>
    bool TryResolve(in AllocationSampleEvent sample, out int groupId);
}
