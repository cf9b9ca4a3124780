using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping;

/// <summary>
/// The current group of each flow, and the hook that sees every change of a thread's current group.
/// </summary>
internal static class GroupContext
{
    // The value is the token itself (a class): storing it boxes nothing. Root is null, the AsyncLocal default.
    // The handler runs on explicit sets and whenever an ExecutionContext switch (await continuation, thread-pool
    // item, thread start) changes the value seen by the thread: exactly the moments a thread changes group.
    private static readonly AsyncLocal<AllocationGroupToken?> s_current = new(OnValueChanged);

    public static AllocationGroupToken? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    private static void OnValueChanged(AsyncLocalValueChangedArgs<AllocationGroupToken?> args)
    {
        // While no session listens and tracking is off, this one static read is all a group change costs.
        if (GroupAccounting.Mode != 0)
        {
            GroupAccounting.OnGroupChanged(args.PreviousValue, args.CurrentValue);
        }
    }
}
