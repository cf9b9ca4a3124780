namespace TrackingProfiler.Profiler.Attribution;

/// <summary>Group ids with a fixed meaning in the profiler.</summary>
public static class GroupIds
{
    /// <summary>No group entered (the contract's root id).</summary>
    public const int Root = EventContract.RootGroupId;

    /// <summary>A thread whose group is not known yet: it has not changed group since the session started.</summary>
    public const int Unknown = -1;
}
