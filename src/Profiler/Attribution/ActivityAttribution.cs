using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Which group a sample belongs to, from the activity id the runtime stamped on it: the Grouping library sets a
/// thread's activity id to its group's marked id (<see cref="EventContract.ActivityIds"/>) whenever the group
/// changes while a session listens. The empty id is the root group. Any other id was set by someone else (TPL,
/// ActivityTracker, Activities): it goes to the foreign resolver when there is one, else to the foreign row,
/// and is never read as a group.
/// </summary>
internal sealed class ActivityAttribution(IForeignActivityResolver? foreign)
{
    /// <summary>Samples with a foreign activity id that no resolver claimed.</summary>
    public long ForeignSamples { get; private set; }

    public int GroupOf(in AllocationSampleEvent sample)
    {
        if (sample.ActivityId == Guid.Empty)
        {
            return GroupIds.Root;
        }

        if (EventContract.ActivityIds.TryDecode(sample.ActivityId, out int groupId))
        {
            // A marked id carrying a negative group id cannot come from the library: treat it as foreign rather
            // than let it land in a pseudo-group's row.
            if (groupId >= GroupIds.Root)
            {
                return groupId;
            }
        }
        else if (foreign is not null && foreign.TryResolve(sample, out int resolved))
        {
            return resolved;
        }

        ForeignSamples++;
        return GroupIds.ForeignActivity;
    }
}
