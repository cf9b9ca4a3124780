namespace TrackingProfiler.Grouping;

/// <summary>Holds every registered token so that a late-attaching profiler can be told all names (rundown).</summary>
internal static class AllocationGroupRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<AllocationGroupToken> s_tokens = [];
    private static int s_lastId = EventContract.RootGroupId;

    public static AllocationGroupToken Add(Func<AllocationGroupId, AllocationGroupToken> create)
    {
        AllocationGroupToken token;
        lock (s_lock)
        {
            // Ids come from a counter that only grows: never reused, so a report can never confuse two groups.
            token = create(new AllocationGroupId(checked(++s_lastId)));
            s_tokens.Add(token);
        }

        AllocationGroupsEventSource.Log.GroupRegistered(token);
        return token;
    }

    public static AllocationGroupToken[] Snapshot()
    {
        lock (s_lock)
        {
            return s_tokens.ToArray();
        }
    }
}
