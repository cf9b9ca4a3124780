using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Attribution;

/// <summary>
/// Bounds the memory a session spends on groups: the first <see cref="Capacity"/> group ids seen are tracked one by
/// one; later ones are pooled into <see cref="GroupIds.Overflow"/>. A target registering millions of groups (an id
/// per request, by mistake or malice: group names come from the target) then costs the profiler a fixed amount.
/// </summary>
internal sealed class GroupCap(int capacity)
{
    private readonly HashSet<int> _tracked = [];

    public int Capacity { get; } = capacity;

    /// <summary>Events about groups that were over the cap (registrations, totals, samples).</summary>
    public long OverflowEvents { get; private set; }

    /// <summary>The id to attribute to: <paramref name="groupId"/> itself while tracked, else the overflow row.</summary>
    public int Admit(int groupId)
    {
        if (GroupIds.IsPseudo(groupId) || groupId == GroupIds.Root || _tracked.Contains(groupId))
        {
            return groupId;
        }

        if (_tracked.Count < Capacity)
        {
            _tracked.Add(groupId);
            return groupId;
        }

        OverflowEvents++;
        return GroupIds.Overflow;
    }

    /// <summary>Whether <paramref name="groupId"/> is tracked one by one (root always is).</summary>
    public bool IsTracked(int groupId) => groupId == GroupIds.Root || _tracked.Contains(groupId);
}
