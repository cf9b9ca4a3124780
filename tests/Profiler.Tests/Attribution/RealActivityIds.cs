using System.Diagnostics.Tracing;

namespace TrackingProfiler.Profiler.Tests.Attribution;

/// <summary>
/// Activity ids made by the runtime's own ActivityTracker in this test process: an EventListener turns TPL's
/// TasksFlowActivityIds on (as the profiler does over EventPipe), and Start/Stop events of a test EventSource then
/// create hierarchical ids, exactly as ASP.NET Core's Request/Start does in a target.
/// </summary>
internal sealed class RealActivityIds : EventListener
{
    public static readonly RealActivityIds Instance = new();

    /// <summary>Starts a scope; returns the id the runtime created for it (now the thread's current id).</summary>
    public static Guid Start(int n)
    {
        _ = Instance;
        ScopeSource.Log.WorkStart(n);
        return EventSource.CurrentThreadActivityId;
    }

    public static void Stop(int n) => ScopeSource.Log.WorkStop(n);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "System.Threading.Tasks.TplEventSource")
        {
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x80);
        }
        else if (eventSource.Name == ScopeSource.SourceName)
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    [EventSource(Name = ScopeSource.SourceName)]
    private sealed class ScopeSource : EventSource
    {
        public const string SourceName = "TrackingProfiler-Tests-Scopes";
        public static readonly ScopeSource Log = new();

        [Event(1, ActivityOptions = EventActivityOptions.Recursive)]
        public void WorkStart(int n) => WriteEvent(1, n);

        [Event(2, ActivityOptions = EventActivityOptions.Recursive)]
        public void WorkStop(int n) => WriteEvent(2, n);
    }
}
