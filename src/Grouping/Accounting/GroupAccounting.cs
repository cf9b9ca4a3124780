using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace TrackingProfiler.Grouping.Accounting;

/// <summary>
/// Exact bytes per group, summed in the process: at each change of a thread's group, the bytes the thread allocated
/// since its previous change go to the group it leaves. Also stamps each thread's EventSource activity id with its
/// group while a session asks for it. Both are off, and cost one static read per change, until someone asks.
/// </summary>
internal static class GroupAccounting
{
    /// <summary>Bit of <see cref="Mode"/>: sum bytes per group (tracking enabled, or a session wants totals).</summary>
    public const int Accounting = 1;

    /// <summary>Bit of <see cref="Mode"/>: stamp activity ids (a session enabled <see cref="EventContract.KeywordActivityIds"/>).</summary>
    public const int ActivityIds = 2;

    /// <summary>What the change handler does; 0 = nothing. The handler's only cost while nobody asks is reading this.</summary>
    public static int Mode;

    // Bumped each time accounting turns on: a thread's reading from an earlier period (or from before any) never
    // opens an interval, because the bytes between it and now may belong to groups the thread was in meanwhile.
    private static int s_epoch = 1;

    [ThreadStatic]
    private static ThreadCounters? t_counters;

    private static readonly object s_stateLock = new();
    private static bool s_tracking;
    private static bool s_sessionAny;
    private static bool s_sessionTotals;
    private static bool s_sessionActivityIds;
    private static bool s_everAccounted;

    private static readonly object s_threadsLock = new();
    private static readonly List<ThreadCounters> s_threads = [];
    private static int s_pruneAt = 64;

    // Sums of threads that have ended, folded here so that their counters can be dropped.
    private static long[] s_retired = new long[16];

    /// <summary>Raised (under a lock, in order) when <see cref="IsObserved"/> changes.</summary>
    public static event Action<bool>? ObservedChanged;

    /// <summary>Whether tracking is on or any session enabled the source (any keyword).</summary>
    public static bool IsObserved { get; private set; }

    public static bool IsTrackingEnabled => Volatile.Read(ref s_tracking);

    /// <summary>Whether accounting has been on at some point: before that, every total is unmeasured, not zero.</summary>
    public static bool HasEverAccounted => Volatile.Read(ref s_everAccounted);

    public static void SetTracking(bool enabled)
    {
        lock (s_stateLock)
        {
            s_tracking = enabled;
            Recompute();
        }
    }

    /// <summary>Called by the EventSource after each command, with what the union of sessions now enables.</summary>
    public static void SetSessions(bool any, bool totals, bool activityIds)
    {
        lock (s_stateLock)
        {
            s_sessionAny = any;
            s_sessionTotals = totals;
            s_sessionActivityIds = activityIds;
            Recompute();
        }
    }

    private static void Recompute()
    {
        bool accounting = s_tracking || s_sessionTotals;
        int mode = (accounting ? Accounting : 0) | (s_sessionActivityIds ? ActivityIds : 0);
        if (accounting && (Mode & Accounting) == 0)
        {
            // A new period: published before the mode, so a handler that sees the mode also sees the new epoch.
            Interlocked.Increment(ref s_epoch);
            s_everAccounted = true;
        }

        Volatile.Write(ref Mode, mode);

        bool observed = s_tracking || s_sessionAny;
        if (observed != IsObserved)
        {
            IsObserved = observed;
            ObservedChanged?.Invoke(observed);
        }
    }

    /// <summary>The change handler's work when <see cref="Mode"/> is not 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OnGroupChanged(AllocationGroupToken? left, AllocationGroupToken? entered)
    {
        try
        {
            int mode = Volatile.Read(ref Mode);
            var counters = t_counters ?? CreateCountersForThisThread();
            if ((mode & Accounting) != 0)
            {
                // Read first: whatever the rest of this handler does belongs to the next interval, not this one.
                long now = GC.GetAllocatedBytesForCurrentThread();
                int epoch = Volatile.Read(ref s_epoch);
                if (counters.Epoch == epoch)
                {
                    if (counters.Add(left?.Id.Value ?? EventContract.RootGroupId, now - counters.LastReading))
                    {
                        // Growing the sums allocated here: bookkeeping, charged to no group.
                        now = GC.GetAllocatedBytesForCurrentThread();
                    }
                }
                else
                {
                    counters.Epoch = epoch;
                }

                counters.LastReading = now;
                if (entered is null && left is not null)
                {
                    AllocationGroupsEventSource.Log.PublishOnReturnToRoot();
                }
            }

            if ((mode & ActivityIds) != 0)
            {
                // Root is the empty id: threads that never enter a group never run this handler and carry the empty id.
                EventSource.SetCurrentThreadActivityId(entered?.ActivityId ?? Guid.Empty);
                counters.StampedActivityId = entered is not null;
            }
            else if (counters.StampedActivityId)
            {
                // The keyword went off: do not leave a stale group id on the thread for a later session to misread.
                EventSource.SetCurrentThreadActivityId(Guid.Empty);
                counters.StampedActivityId = false;
            }
        }
        catch (Exception)
        {
            // Runs inside the runtime's ExecutionContext switch, where an exception would terminate the process.
        }
    }

    /// <summary>
    /// The bytes the calling thread allocated since its last group change, if they are known and belong to
    /// <paramref name="groupId"/> (the thread's current group); otherwise 0.
    /// </summary>
    public static long PendingOnThisThread(int groupId)
    {
        var counters = t_counters;
        if ((Volatile.Read(ref Mode) & Accounting) == 0 || counters is null || counters.Epoch != Volatile.Read(ref s_epoch))
        {
            return 0;
        }

        int current = GroupContext.Current?.Id.Value ?? EventContract.RootGroupId;
        return current == groupId ? GC.GetAllocatedBytesForCurrentThread() - counters.LastReading : 0;
    }

    /// <summary>A group's cumulative bytes over every thread, pending intervals excluded.</summary>
    public static long TotalOf(int groupId)
    {
        lock (s_threadsLock)
        {
            long total = groupId < s_retired.Length ? s_retired[groupId] : 0;
            foreach (var counters in s_threads)
            {
                total += counters.Read(groupId);
            }

            return total;
        }
    }

    /// <summary>Every group's cumulative bytes, index = group id, for ids 0..<paramref name="maxGroupId"/>.</summary>
    public static long[] Totals(int maxGroupId)
    {
        var totals = new long[maxGroupId + 1];
        lock (s_threadsLock)
        {
            PruneEndedThreads();
            Array.Copy(s_retired, totals, Math.Min(s_retired.Length, totals.Length));
            foreach (var counters in s_threads)
            {
                counters.AddTo(totals);
            }
        }

        return totals;
    }

    private static ThreadCounters CreateCountersForThisThread()
    {
        var counters = new ThreadCounters(Thread.CurrentThread);
        lock (s_threadsLock)
        {
            if (s_threads.Count >= s_pruneAt)
            {
                // Programs that start many short threads: keep memory bounded by the threads alive.
                PruneEndedThreads();
                s_pruneAt = Math.Max(64, s_threads.Count * 2);
            }

            s_threads.Add(counters);
        }

        t_counters = counters;
        return counters;
    }

    private static void PruneEndedThreads()
    {
        long[]? retired = null;
        int kept = 0;
        for (int i = 0; i < s_threads.Count; i++)
        {
            var counters = s_threads[i];
            if (counters.IsOwnerDead)
            {
                // An ended thread writes no more: its sums are final and move to the retired totals.
                if (retired is null)
                {
                    retired = new long[Math.Max(s_retired.Length, AllocationGroupRegistry.LastId + 1)];
                    Array.Copy(s_retired, retired, s_retired.Length);
                }

                counters.AddTo(retired);
            }
            else
            {
                s_threads[kept++] = counters;
            }
        }

        s_threads.RemoveRange(kept, s_threads.Count - kept);
        if (retired is not null)
        {
            s_retired = retired;
        }
    }
}
