using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;
using System.Runtime.Loader;
using TrackingProfiler.Grouping.Accounting;

namespace TrackingProfiler.Grouping;

/// <summary>
/// Contract v2 (docs/events.md): group names, and cumulative exact bytes per group published at an interval;
/// while a session asks, group ids in each thread's activity id. Silent and nearly free while no session listens.
/// </summary>
[EventSource(Name = EventContract.SourceName)]
internal sealed class AllocationGroupsEventSource : EventSource
{
    public static readonly AllocationGroupsEventSource Log = new();

    // Created on first use: the base constructor may already deliver a session's Enable command, before this
    // class's own constructor body (or Log) exists.
    private TotalsPublisher? _publisher;

    private AllocationGroupsEventSource()
    {
        // Here, not in OnEventCommand: see TotalsPublisher.CreateTimer. A session already enabled during the base
        // constructor has set its interval; the timer starts with it.
        Publisher.CreateTimer();

        // AppDomain.ProcessExit is raised after the runtime has disposed every EventSource (AppContext.OnProcessExit):
        // too late to write. The default load context's Unloading is raised just before that.
        var context = AssemblyLoadContext.GetLoadContext(typeof(AllocationGroupsEventSource).Assembly);
        if (context is not null)
        {
            // Static: an instance lambda would compile to an instance method here, which EventSource takes for an event.
            context.Unloading += static _ => Log?.OnProcessExit();
        }
    }

    private TotalsPublisher Publisher
    {
        get
        {
            var publisher = Volatile.Read(ref _publisher);
            if (publisher is null)
            {
                Interlocked.CompareExchange(ref _publisher, new TotalsPublisher(GroupAllocated), null);
                publisher = _publisher;
            }

            return publisher;
        }
    }

    /// <summary>Keyword names for the manifest; values come from the shared contract.</summary>
    public static class Keywords
    {
        public const EventKeywords Registration = (EventKeywords)EventContract.KeywordRegistration;

        // 0x2 (contract v1's GroupChanges) is retired and never reused.
        public const EventKeywords ActivityIds = (EventKeywords)EventContract.KeywordActivityIds;
        public const EventKeywords Totals = (EventKeywords)EventContract.KeywordTotals;
    }

    /// <summary>The totals period in effect, in milliseconds; 0 while no session asks for totals.</summary>
    /// <summary>A thread returned to the root group: its groups' totals go out now if the budget allows (see TotalsPublisher).</summary>
    [NonEvent]
    internal void PublishOnReturnToRoot() => Volatile.Read(ref _publisher)?.PublishOnReturnToRoot();

    internal int TotalsIntervalMs => Publisher.IntervalMs;

    [NonEvent]
    public void GroupRegistered(AllocationGroupToken token)
    {
        if (IsEnabled(EventLevel.Informational, Keywords.Registration))
        {
            GroupRegistered(token.Id.Value, token.Name, token.EncodedTags);
        }
    }

    /// <summary>Writes the totals of groups that changed since the last publication (or of every group) now.</summary>
    [NonEvent]
    internal void PublishTotals(bool everyGroup)
    {
        if (IsEnabled(EventLevel.Informational, Keywords.Totals))
        {
            Publisher.Publish(everyGroup);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Payloads are primitives and strings only.")]
    [Event(EventContract.GroupRegistered.Id, Level = EventLevel.Informational, Keywords = Keywords.Registration, Version = EventContract.GroupRegistered.Version)]
    public unsafe void GroupRegistered(int GroupId, string Name, string Tags)
    {
        try
        {
            fixed (char* namePtr = Name)
            fixed (char* tagsPtr = Tags)
            {
                EventData* data = stackalloc EventData[3];
                data[EventContract.GroupRegistered.GroupIdIndex] = new EventData { DataPointer = (IntPtr)(&GroupId), Size = sizeof(int) };
                data[EventContract.GroupRegistered.NameIndex] = new EventData { DataPointer = (IntPtr)namePtr, Size = (Name.Length + 1) * sizeof(char) };
                data[EventContract.GroupRegistered.TagsIndex] = new EventData { DataPointer = (IntPtr)tagsPtr, Size = (Tags.Length + 1) * sizeof(char) };
                WriteEventCore(EventContract.GroupRegistered.Id, 3, data);
            }
        }
        catch (Exception)
        {
            // Never throw into the caller: a failed diagnostic write must not break the application.
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Payloads are primitives only.")]
    [Event(EventContract.GroupAllocated.Id, Level = EventLevel.Informational, Keywords = Keywords.Totals, Version = EventContract.GroupAllocated.Version)]
    public unsafe void GroupAllocated(int GroupId, long AllocatedBytes)
    {
        if (!IsEnabled(EventLevel.Informational, Keywords.Totals))
        {
            return;
        }

        try
        {
            // Packed, no padding: GroupId at byte 0, AllocatedBytes at byte 4 (EventContract.GroupAllocated.*Offset).
            EventData* data = stackalloc EventData[2];
            data[EventContract.GroupAllocated.GroupIdIndex] = new EventData { DataPointer = (IntPtr)(&GroupId), Size = sizeof(int) };
            data[EventContract.GroupAllocated.AllocatedBytesIndex] = new EventData { DataPointer = (IntPtr)(&AllocatedBytes), Size = sizeof(long) };
            WriteEventCore(EventContract.GroupAllocated.Id, 2, data);
        }
        catch (Exception)
        {
            // Runs on a timer or at process exit: diagnostics never break the application.
        }
    }

    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        try
        {
            // IsEnabled reflects the union of every session and listener: accounting stays on while any one wants it.
            bool totals = IsEnabled(EventLevel.Informational, Keywords.Totals);
            GroupAccounting.SetSessions(IsEnabled(), totals, IsEnabled(EventLevel.Informational, Keywords.ActivityIds));
            if (!totals)
            {
                Publisher.Stop();
            }

            if (command.Command != EventCommand.Enable)
            {
                // No snapshot at Disable: the runtime turns the source off before this call when the last session
                // leaves (EventSource.DoCommand), so nothing written here could reach it. See docs/events.md.
                return;
            }

            // Rundown: a profiler that attaches late still learns every group's name, then every group's total,
            // the baseline its later totals are compared with.
            foreach (var token in AllocationGroupRegistry.Snapshot())
            {
                GroupRegistered(token);
            }

            if (totals)
            {
                Publisher.Start(TotalsPublisher.ParseInterval(command.Arguments), TotalsPublisher.ParseEager(command.Arguments));
                Publisher.Publish(everyGroup: true);
            }
        }
        catch (Exception)
        {
            // Same rule as the writes: diagnostics never break the application.
        }
    }

    [NonEvent]
    private void OnProcessExit()
    {
        try
        {
            // The last word: every group's final total, for in-process listeners (EventListener, exporters). EventPipe
            // sessions do not get it: the runtime shuts EventPipe down before managed exit handlers run.
            PublishTotals(everyGroup: true);
            Publisher.Stop();
        }
        catch (Exception)
        {
        }
    }
}
