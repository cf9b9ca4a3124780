using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace TrackingProfiler.Grouping.Tests;

/// <summary>
/// An in-process listener on the groups EventSource that records what a profiler receives over EventPipe:
/// <c>GroupRegistered</c> and the cumulative <c>GroupAllocated</c> totals. Tests that use it run in the "events"
/// collection, one at a time, because the EventSource and the accounting are process-wide.
/// </summary>
internal sealed class GroupEventRecorder : EventListener
{
    public const long V2Keywords = EventContract.KeywordRegistration | EventContract.KeywordActivityIds | EventContract.KeywordTotals;

    public sealed record Registered(int GroupId, string Name, string Tags);

    public sealed record Allocated(int GroupId, long AllocatedBytes);

    private volatile bool _enabled;

    // When set, the next GroupAllocated event of this group is dropped, as EventPipe drops events under load.
    private int _loseNextOf = -1;

    public ConcurrentQueue<Registered> Registrations { get; } = new();

    public ConcurrentQueue<Allocated> Totals { get; } = new();

    /// <summary>Every event id received from the groups source, in order.</summary>
    public ConcurrentQueue<int> EventIds { get; } = new();

    public GroupEventRecorder(long keywords = V2Keywords, int? totalsIntervalMs = null, bool publishOnReturnToRoot = false)
    {
        // EventListener's constructor calls OnEventSourceCreated for existing sources before this body runs.
        _enabled = true;
        var arguments = new Dictionary<string, string?>();
        if (totalsIntervalMs is int ms)
        {
            arguments[EventContract.TotalsIntervalArgument] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (publishOnReturnToRoot)
        {
            arguments[EventContract.PublishOnReturnToRootArgument] = "true";
        }

        EnableEvents(AllocationGroupsEventSource.Log, EventLevel.Informational, (EventKeywords)keywords, arguments.Count == 0 ? null : arguments);
    }

    /// <summary>Raised after each recorded GroupAllocated.</summary>
    public event Action<Allocated>? TotalRecorded;

    /// <summary>Drops the next GroupAllocated event of <paramref name="token"/>, as if EventPipe had lost it.</summary>
    public void LoseNextTotalOf(AllocationGroupToken token) => Volatile.Write(ref _loseNextOf, token.Id.Value);

    /// <summary>The last cumulative total received for the group, or null if none was.</summary>
    public long? LastTotalOf(AllocationGroupToken token) => LastTotalOf(token.Id.Value);

    public long? LastTotalOf(int groupId)
    {
        long? last = null;
        foreach (var total in Totals)
        {
            if (total.GroupId == groupId)
            {
                last = total.AllocatedBytes;
            }
        }

        return last;
    }

    /// <summary>Publishes totals now, the way the periodic timer does (only groups that changed).</summary>
    public static void PublishNow(bool everyGroup = false) => AllocationGroupsEventSource.Log.PublishTotals(everyGroup);

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!_enabled || e.EventSource.Name != EventContract.SourceName || e.Payload is null)
        {
            return;
        }

        EventIds.Enqueue(e.EventId);
        switch (e.EventId)
        {
            case EventContract.GroupRegistered.Id:
                Registrations.Enqueue(new Registered(
                    (int)e.Payload[EventContract.GroupRegistered.GroupIdIndex]!,
                    (string)e.Payload[EventContract.GroupRegistered.NameIndex]!,
                    (string)e.Payload[EventContract.GroupRegistered.TagsIndex]!));
                break;
            case EventContract.GroupAllocated.Id:
                var total = new Allocated(
                    (int)e.Payload[EventContract.GroupAllocated.GroupIdIndex]!,
                    (long)e.Payload[EventContract.GroupAllocated.AllocatedBytesIndex]!);
                if (Interlocked.CompareExchange(ref _loseNextOf, -1, total.GroupId) == total.GroupId)
                {
                    return;
                }

                Totals.Enqueue(total);
                TotalRecorded?.Invoke(total);
                break;
        }
    }

    public override void Dispose()
    {
        _enabled = false;
        DisableEvents(AllocationGroupsEventSource.Log);
        base.Dispose();
    }
}

/// <summary>Turns tracking on for a test and off again, whatever the test does.</summary>
internal sealed class TrackingScope : IDisposable
{
    public TrackingScope() => AllocationRegistry.EnableTracking();

    public void Dispose() => AllocationRegistry.DisableTracking();
}

[CollectionDefinition("events", DisableParallelization = true)]
public sealed class EventsCollection
{
}
