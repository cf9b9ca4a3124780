using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>
/// An in-process listener on the groups EventSource that records GroupRegistered and GroupChanged with the writing
/// thread, the way the profiler sees them over EventPipe. Tests that use it run in the "events" collection, one at a
/// time, because the EventSource is process-wide.
/// </summary>
internal sealed class GroupEventRecorder : EventListener
{
    public sealed record Registered(int GroupId, string Name, string Tags);

    public sealed record Changed(long ThreadId, int From, int To, long ThreadAllocatedBytes)
    {
        // The thread's counter when this listener had handled the change: what the listener itself allocated for the
        // event (its args, boxed payload, queue segment) lies between the two readings. EventPipe writes allocate
        // nothing, so starting the next interval here reproduces what the out-of-process profiler sees.
        public long BytesAfterListener { get; set; }
    }

    private volatile bool _enabled;

    public ConcurrentQueue<Registered> Registrations { get; } = new();

    public ConcurrentQueue<Changed> Changes { get; } = new();

    public GroupEventRecorder()
        : this((EventKeywords)(EventContract.KeywordRegistration | EventContract.KeywordGroupChanges))
    {
    }

    public GroupEventRecorder(EventKeywords keywords)
    {
        // EventListener's constructor calls OnEventSourceCreated for existing sources before this body runs.
        _enabled = true;
        EnableEvents(AllocationGroupsEventSource.Log, EventLevel.Informational, keywords);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_enabled || e.EventSource.Name != EventContract.SourceName || e.Payload is null)
        {
            return;
        }

        switch (e.EventId)
        {
            case EventContract.GroupRegistered.Id:
                Registrations.Enqueue(new Registered((int)e.Payload[0]!, (string)e.Payload[1]!, (string)e.Payload[2]!));
                break;
            case EventContract.GroupChanged.Id:
                var change = new Changed(e.OSThreadId, (int)e.Payload[0]!, (int)e.Payload[1]!, (long)e.Payload[2]!);
                Changes.Enqueue(change);
                change.BytesAfterListener = GC.GetAllocatedBytesForCurrentThread(); // last: nothing allocates after it
                break;
        }
    }

    /// <summary>
    /// Exact bytes per group, computed as the profiler does: per thread, each change closes the interval that began
    /// at the previous change and attributes its counter difference to the group being left. Intervals start after the
    /// listener's own allocations for the previous event (an in-process artifact the profiler does not have).
    /// </summary>
    public Dictionary<int, long> ExactBytesByGroup()
    {
        var result = new Dictionary<int, long>();
        var last = new Dictionary<long, long>();
        foreach (var change in Changes)
        {
            if (last.TryGetValue(change.ThreadId, out long before))
            {
                result[change.From] = result.GetValueOrDefault(change.From) + (change.ThreadAllocatedBytes - before);
            }

            last[change.ThreadId] = change.BytesAfterListener;
        }

        return result;
    }

    public List<Changed> ChangesInvolving(params AllocationGroupToken[] tokens)
    {
        var ids = tokens.Select(t => t.Id.Value).ToHashSet();
        return Changes.Where(c => ids.Contains(c.From) || ids.Contains(c.To)).ToList();
    }

    public override void Dispose()
    {
        _enabled = false;
        DisableEvents(AllocationGroupsEventSource.Log);
        base.Dispose();
    }
}

[CollectionDefinition("events", DisableParallelization = true)]
public sealed class EventsCollection
{
}
