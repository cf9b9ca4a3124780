using System.Diagnostics.Tracing;
using BenchmarkDotNet.Attributes;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Grouping.Benchmarks;

/// <summary>
/// An enter/exit pair next to a bare AsyncLocal set/restore (the floor any flowing context pays), with nobody
/// listening, with an EventPipe session on this process (what dotnet-alloctrack does, from outside), and with an
/// in-process EventListener (costlier: it allocates event args per event).
/// </summary>
[MemoryDiagnoser]
public class EnterExitBenchmarks
{
    private static readonly AllocationGroupToken s_token = AllocationGroupToken.Register("bench");
    private static readonly AsyncLocal<object?> s_bare = new();
    private static readonly AsyncLocal<object?> s_bareWithHandler = new(static _ => { });
    private static readonly object s_value = new();

    [Params("none", "eventpipe", "eventlistener")]
    public string Listener { get; set; } = "none";

    private EventPipeSession? _session;
    private Thread? _drain;
    private EventListener? _listener;

    [GlobalSetup]
    public void Setup()
    {
        switch (Listener)
        {
            case "eventpipe":
                var providers = new[] { new EventPipeProvider("TrackingProfiler-AllocationGroups", EventLevel.Informational, 0x3) };
                _session = new DiagnosticsClient(Environment.ProcessId).StartEventPipeSession(
                    new EventPipeSessionConfiguration(providers, 256, requestRundown: false, requestStackwalk: false));
                var stream = _session.EventStream;
                _drain = new Thread(() => stream.CopyTo(Stream.Null)) { IsBackground = true };
                _drain.Start();
                break;
            case "eventlistener":
                _listener = new GroupsListener();
                break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        try
        {
            _session?.Stop();
        }
        catch (Exception)
        {
        }

        _session?.Dispose();
        _listener?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void BareAsyncLocalSetRestore()
    {
        s_bare.Value = s_value;
        s_bare.Value = null;
    }

    [Benchmark]
    public void BareAsyncLocalWithChangeHandlerSetRestore()
    {
        s_bareWithHandler.Value = s_value;
        s_bareWithHandler.Value = null;
    }

    [Benchmark]
    public void EnterExitPair()
    {
        using (s_token.Enter())
        {
        }
    }

    private sealed class GroupsListener : EventListener
    {
        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "TrackingProfiler-AllocationGroups")
            {
                EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)0x3);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
        }
    }
}
