namespace TrackingProfiler.Grouping;

/// <summary>Holds every registered token so that a late-attaching profiler can be told all names (rundown).</summary>
internal static class AllocationGroupRegistry
{
    private static readonly object s_lock = new();
    private static readonly List<AllocationGroupToken> s_tokens = [];
    private static int s_lastId = EventContract.RootGroupId;

    /// <summary>The highest id assigned so far (<see cref="EventContract.RootGroupId"/> before any registration).</summary>
    public static int LastId => Volatile.Read(ref s_lastId);

    public static AllocationGroupToken Add(Func<AllocationGroupId, AllocationGroupToken> create)
    {
        AllocationGroupToken token;
        lock (s_lock)
        {
            // Ids come from a counter that only grows: never reused, so a report can never confuse two groups.
            int id = checked(s_lastId + 1);
            token = create(new AllocationGroupId(id));
            s_tokens.Add(token);
            Volatile.Write(ref s_lastId, id);
        }

        AllocationGroupsEventSource.Log.GroupRegistered(token);
        GroupAllocationMeter.EnsureCreated();
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
