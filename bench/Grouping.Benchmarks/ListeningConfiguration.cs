using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Grouping.Benchmarks;

/// <summary>
/// Who looks at groups while an operation is measured: nobody; in-process tracking; an EventPipe session on this
/// process asking for names, totals and activity ids (what dotnet-alloctrack does, from outside); or an in-process
/// EventListener asking for totals and activity ids. Refuses to return before the configuration is in effect.
/// </summary>
internal sealed class ListeningConfiguration : IDisposable
{
    public static readonly string[] Names = ["none", "tracking", "eventpipe", "eventlistener"];

    private const string SourceName = "TrackingProfiler-AllocationGroups";
    private const long SessionKeywords = 0x1 | 0x4 | 0x8; // Registration | ActivityIds | Totals (EventContract)
    private const long ListenerKeywords = 0x4 | 0x8;

    private readonly EventPipeSession? _session;
    private readonly EventListener? _listener;
    private readonly bool _tracking;

    public ListeningConfiguration(string name, AllocationGroupToken probe)
    {
        Name = name;
        switch (name)
        {
            case "none":
                break;
            case "tracking":
                AllocationRegistry.EnableTracking();
                _tracking = true;
                break;
            case "eventpipe":
                var providers = new[] { new EventPipeProvider(SourceName, EventLevel.Informational, SessionKeywords) };
                _session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(
                    new EventPipeSessionConfiguration(providers, 256, requestRundown: false, requestStackwalk: false));
                var stream = _session.EventStream;
                new Thread(() => DrainUntilStopped(stream)) { IsBackground = true }.Start();
                break;
            case "eventlistener":
                _listener = new GroupsListener();
                break;
            default:
                throw new ArgumentException($"unknown configuration '{name}'", nameof(name));
        }

        WaitUntilInEffect(probe);
    }

    public string Name { get; }

    public void Dispose()
    {
        try
        {
            _session?.Stop();
        }
        catch (Exception)
        {
            // The session may already be gone; nothing to stop.
        }

        _session?.Dispose();
        _listener?.Dispose();
        if (_tracking)
        {
            AllocationRegistry.DisableTracking();
        }
    }

    // Stopping the session aborts the connection under the reader: that is the end of the stream, not a failure.
    private static void DrainUntilStopped(Stream stream)
    {
        try
        {
            stream.CopyTo(Stream.Null);
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // A session not yet enabled would measure "none" under another name.
    private void WaitUntilInEffect(AllocationGroupToken probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            Guid inside;
            using (probe.Enter())
            {
                inside = EventSource.CurrentThreadActivityId;
            }

            bool ok = Name is "eventpipe" or "eventlistener"
                ? inside != Guid.Empty
                : inside == Guid.Empty && AllocationRegistry.IsTrackingEnabled == (Name == "tracking");
            if (ok)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"configuration '{Name}' is not in effect");
            }

            Thread.Sleep(10);
        }
    }

    private sealed class GroupsListener : EventListener
    {
        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == SourceName)
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)ListenerKeywords);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
        }
    }
}
