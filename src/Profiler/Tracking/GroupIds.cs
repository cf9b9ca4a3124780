namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// Group ids with a fixed meaning in the profiler. Real groups have ids ≥ 1 (the target assigns them); the negative
/// ids are pseudo-groups: rows that pool what belongs to no known group, never a group of the target.
/// </summary>
public static class GroupIds
{
    /// <summary>No group entered (the contract's root id; the empty activity id).</summary>
    public const int Root = EventContract.RootGroupId;

    /// <summary>Samples whose activity id is not ours (TPL's, ActivityTracker's, an Activity's) and that no resolver claimed.</summary>
    public const int ForeignActivity = -2;

    /// <summary>Groups beyond the session's cap on tracked groups, pooled into one row.</summary>
    public const int Overflow = -3;

    /// <summary>Whether <paramref name="id"/> is a pseudo-group (root is a real, if implicit, group).</summary>
    public static bool IsPseudo(int id) => id < Root;
}
