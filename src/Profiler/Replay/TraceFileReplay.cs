using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Stacks;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Replay;

/// <summary>
/// The report of a recorded <c>.nettrace</c> file: the same decoder, attributor and trackers as a live session, fed
/// from the file. Reads files saved with <c>--save-trace</c> and traces recorded by <c>dotnet-trace</c> with allocation
/// events (<c>AllocationSampled</c> or <c>GCAllocationTick</c>); stacks and the rundown are used when the trace has them.
/// </summary>
public static class TraceFileReplay
{
    /// <summary>Replays <paramref name="path"/> to its end and builds the report.</summary>
    /// <exception cref="ProfilerException"><see cref="ProfilerErrorKind.Usage"/> when the file is missing or not a trace.</exception>
    public static AllocationReport Read(string path, SessionOptions options)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, $"no trace file '{full}'.");
        }

        var aggregation = new GroupAggregationTracker(options.TrackFrees);
        var callPaths = new CallPathTracker();
        var kinds = new SampleKinds();
        var methods = new MethodAddressMap();

        // The recording may have started while groups were running: baselines come from its rundown, as when attached.
        var attributor = new AllocationAttributor([aggregation, callPaths, kinds], SessionStart.Attached, options.TrackFrees);
        int processId = 0;
        Exception? truncated = null;
        using var source = Open(full);
        var decoder = new TraceEventDecoder(source, attributor, methods);
        source.AllEvents += data =>
        {
            if (processId == 0 && data.ProcessID > 0)
            {
                processId = data.ProcessID;
            }
        };
        try
        {
            source.Process();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or InvalidOperationException)
        {
            // A trace cut short (the recording process died): what was read stands, and the report says so.
            truncated = e;
        }

        decoder.CheckEventsLost(source.SessionEndTimeRelativeMSec);

        var notes = new List<string> { $"Replayed from {full}." };
        if (truncated is not null)
        {
            notes.Add($"The trace ends abruptly ({truncated.Message}): the report covers it until then.");
        }

        if (kinds.Randomized + kinds.Tick == 0)
        {
            notes.Add("The trace has no allocation events (AllocationSampled or GCAllocationTick): record it with --clrevents allocationsampling or --profile gc-verbose.");
        }

        double durationMs = (source.SessionEndTime - source.SessionStartTime).TotalMilliseconds;
        var groups = aggregation.Snapshot(processId, options.MaxTypesPerGroup, durationMs);
        var sessionNotes = new List<string>();
        if (kinds.WithStack > 0)
        {
            groups = callPaths.AddCallPaths(groups, methods, options.MaxCallPathsPerGroup);
            sessionNotes.AddRange(callPaths.Notes(methods));
        }

        var summary = new TracedProcessSummary
        {
            Process = new ProcessReport { ProcessId = processId, Name = Path.GetFileName(full), Traced = true },
            SamplingMode = kinds.Tick > 0 ? "tick" : kinds.Randomized > 0 ? "randomized" : "none",
            TrackFrees = options.TrackFrees,
            Start = SessionStart.Attached,
            StartedAt = source.SessionStartTime,
            DurationSeconds = durationMs / 1000,
            TotalsIntervalMs = options.TotalsIntervalMs,
            EventsLost = aggregation.EventsLostCount,
            EventsProcessed = decoder.EventsDecoded,
            Attribution = attributor.Statistics,
            Groups = groups,
            Notes = sessionNotes,
        };
        var facts = new ReportBuilder.SessionFacts(
            "report", truncated is null ? "end-of-trace" : "truncated-trace", source.SessionStartTime, summary.DurationSeconds, Notes: notes);
        return ReportBuilder.Build(facts, [summary]);
    }

    private static EventPipeEventSource Open(string path)
    {
        try
        {
            return new EventPipeEventSource(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // TraceEvent reports a wrong header with several exception types (its own serialization errors included).
            throw new ProfilerException(ProfilerErrorKind.Usage, $"'{path}' is not a readable .nettrace file: {e.Message}", e);
        }
    }

    /// <summary>Counts samples by kind, and those that carry a stack: the replay learns the trace's sampling from them.</summary>
    private sealed class SampleKinds : IAllocationTracker
    {
        public long Randomized { get; private set; }

        public long Tick { get; private set; }

        public long WithStack { get; private set; }

        public void Allocated(in AttributedAllocation allocation)
        {
            if (allocation.Kind == SampleKind.Tick)
            {
                Tick++;
            }
            else
            {
                Randomized++;
            }

            if (allocation.Stack is { Length: > 0 })
            {
                WithStack++;
            }
        }
    }
}
