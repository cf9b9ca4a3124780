using System.Diagnostics.Tracing;

namespace TrackingProfiler.Grouping;

/// <summary>
/// Publishes group names and every change of a thread's current group. See docs/events.md.
/// Silent and nearly free while no session listens.
/// </summary>
[EventSource(Name = EventContract.SourceName)]
internal sealed class AllocationGroupsEventSource : EventSource
{
    public static readonly AllocationGroupsEventSource Log = new();

    private AllocationGroupsEventSource()
    {
    }

    /// <summary>Keyword names for the manifest; values come from the shared contract.</summary>
    public static class Keywords
    {
        public const EventKeywords Registration = (EventKeywords)EventContract.KeywordRegistration;
        public const EventKeywords GroupChanges = (EventKeywords)EventContract.KeywordGroupChanges;
    }

    [NonEvent]
    public void GroupRegistered(AllocationGroupToken token)
    {
        if (IsEnabled(EventLevel.Informational, Keywords.Registration))
        {
            GroupRegistered(token.Id.Value, token.Name, token.EncodedTags);
        }
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Payloads are primitives and strings only.")]
    [Event(EventContract.GroupRegistered.Id, Level = EventLevel.Informational, Keywords = Keywords.Registration, Version = EventContract.GroupRegistered.Version)]
    public unsafe void GroupRegistered(int GroupId, string Name, string Tags)
    {
        try
        {
            fixed (char* namePtr = Name)
            fixed (char* tagsPtr = Tags)
            {
                EventData* data = stackalloc EventData[3];
                data[0] = new EventData { DataPointer = (IntPtr)(&GroupId), Size = sizeof(int) };
                data[1] = new EventData { DataPointer = (IntPtr)namePtr, Size = (Name.Length + 1) * sizeof(char) };
                data[2] = new EventData { DataPointer = (IntPtr)tagsPtr, Size = (Tags.Length + 1) * sizeof(char) };
                WriteEventCore(EventContract.GroupRegistered.Id, 3, data);
            }
        }
        catch (Exception)
        {
            // Never throw into the caller: a failed diagnostic write must not break the application.
        }
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Payloads are primitives and strings only.")]
    [Event(EventContract.GroupChanged.Id, Level = EventLevel.Informational, Keywords = Keywords.GroupChanges, Version = EventContract.GroupChanged.Version)]
    public unsafe void GroupChanged(int FromGroupId, int ToGroupId, long ThreadAllocatedBytes)
    {
        if (!IsEnabled(EventLevel.Informational, Keywords.GroupChanges))
        {
            return;
        }

        try
        {
            EventData* data = stackalloc EventData[3];
            data[0] = new EventData { DataPointer = (IntPtr)(&FromGroupId), Size = sizeof(int) };
            data[1] = new EventData { DataPointer = (IntPtr)(&ToGroupId), Size = sizeof(int) };
            data[2] = new EventData { DataPointer = (IntPtr)(&ThreadAllocatedBytes), Size = sizeof(long) };
            WriteEventCore(EventContract.GroupChanged.Id, 3, data);
        }
        catch (Exception)
        {
            // Runs inside an AsyncLocal notification, where an exception would terminate the process.
        }
    }

    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command != EventCommand.Enable)
        {
            return;
        }

        try
        {
            // Rundown: a profiler that attaches late still learns every group's name.
            foreach (var token in AllocationGroupRegistry.Snapshot())
            {
                GroupRegistered(token);
            }
        }
        catch (Exception)
        {
            // Same rule as the writes: diagnostics never break the application.
        }
    }
}
