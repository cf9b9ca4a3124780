using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping;

/// <summary>
/// Process-wide entry points that are not tied to one group (the crate's <c>AllocationRegistry</c>).
/// </summary>
public static class AllocationRegistry
{
    /// <summary>The group current on the calling flow; <see cref="AllocationGroupId.Root"/> when none is entered.</summary>
    public static AllocationGroupId CurrentGroupId => GroupContext.Current?.Id ?? AllocationGroupId.Root;

    /// <summary>The token of the group current on the calling flow, or <c>null</c> in the root group.</summary>
    public static AllocationGroupToken? CurrentGroup => GroupContext.Current;

    /// <summary>
    /// Makes the root group current until the returned scope is disposed: allocations inside are not
    /// attributed to the enclosing group. Use it for code that is async or spans statements.
    /// </summary>
    /// <returns>A scope that restores the enclosing group when disposed.</returns>
    public static AllocationGroupScope EnterRoot() => new(null);

    /// <summary>Runs <paramref name="action"/> in the root group (the crate's <c>untracked</c>).</summary>
    /// <param name="action">The code to run outside every group.</param>
    public static void Untracked(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using (EnterRoot())
        {
            action();
        }
    }

    /// <summary>Runs <paramref name="func"/> in the root group and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="func">The code to run outside every group.</param>
    /// <returns>What <paramref name="func"/> returned.</returns>
    public static T Untracked<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        using (EnterRoot())
        {
            return func();
        }
    }

    /// <summary>
    /// Turns in-process accounting on (the crate's <c>enable_tracking</c>): from now on every group's
    /// <see cref="AllocationGroupToken.AllocatedBytes"/> grows by the exact bytes allocated in it, and the
    /// <c>TrackingProfiler.Grouping</c> meter reports them. No profiler is needed.
    /// </summary>
    /// <remarks>
    /// Costs, per change of a thread's group, one read of the thread's allocation counter and an add to a
    /// per-thread sum (no lock, nothing shared between threads). A thread's first change after this call only
    /// starts its count: bytes it allocated before that change, in whatever group, are not counted.
    /// </remarks>
    public static void EnableTracking() => GroupAccounting.SetTracking(true);

    /// <summary>
    /// Turns in-process accounting off again (the crate's <c>disable_tracking</c>), unless a profiler session asks
    /// for totals. Totals keep their values; bytes allocated while accounting is off are not counted, nor are the
    /// bytes of scopes still open when it turns off.
    /// </summary>
    public static void DisableTracking() => GroupAccounting.SetTracking(false);

    /// <summary>Whether <see cref="EnableTracking"/> is in effect.</summary>
    public static bool IsTrackingEnabled => GroupAccounting.IsTrackingEnabled;

    /// <summary>Every group registered so far, in registration order.</summary>
    public static IReadOnlyList<AllocationGroupToken> RegisteredGroups => AllocationGroupRegistry.Snapshot();
}
