using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// One EventPipe session on one process: events → decoder → attributor → trackers, parsed live on a dedicated
/// thread. Start it, read <see cref="Aggregation"/> while it runs, then <see cref="StopAsync"/> or await <see cref="Completion"/>.
/// </summary>
public sealed class ProfilingSession : IAsyncDisposable
{
    private readonly EventPipeSession _session;
    private readonly EventPipeEventSource _source;
    private readonly TraceEventDecoder _decoder;
    private readonly AllocationAttributor _attributor;
    private readonly ZeroCodeEventDecoder _zeroCodeDecoder;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _stopRequested;

    private ProfilingSession(TargetProcess target, SessionOptions options, SamplingMode sampling, GroupByChoice groupBy, string metricsSessionId, bool fromFirstInstruction, EventPipeSession session, IEnumerable<IAllocationTracker> trackers)
    {
        TrackFreesBeforeAttach = !fromFirstInstruction;
        Target = target;
        Options = options;
        Sampling = sampling;
        GroupBy = groupBy;
        StartedAt = DateTimeOffset.Now;
        _session = session;
        Aggregation = new GroupAggregationTracker(options.TrackFrees);
        Totals = new ProcessAllocationCounter(fromProcessStart: fromFirstInstruction);
        var foreign = groupBy.Mode switch
        {
            GroupByMode.Requests => new ForeignActivityGroups(ZeroCodeGrouping.Requests, maxGroups: options.MaxGroups),
            GroupByMode.Activities => new ForeignActivityGroups(
                ZeroCodeGrouping.Activities,
                options.ActivitySources is { Count: > 0 } sources ? sources.ToHashSet(StringComparer.Ordinal) : null,
                options.MaxGroups),
            _ => null,
        };
        _attributor = new AllocationAttributor(trackers.Prepend(Aggregation), unseenThreadsAreRoot: fromFirstInstruction, options.TrackFrees, foreign);
        _source = new EventPipeEventSource(session.EventStream);
        _decoder = new TraceEventDecoder(_source, _attributor);
        _zeroCodeDecoder = new ZeroCodeEventDecoder(_source, _attributor, Totals, metricsSessionId);
        Completion = Task.Factory.StartNew(Process, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public TargetProcess Target { get; }

    private bool TrackFreesBeforeAttach { get; }

    public SessionOptions Options { get; }

    public SamplingMode Sampling { get; }

    /// <summary>What the groups are, and why.</summary>
    public GroupByChoice GroupBy { get; }

    /// <summary>The process's own allocated-bytes counter, read about once a second.</summary>
    public ProcessAllocationCounter Totals { get; }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The built-in per-group tracker; safe to snapshot from any thread while the session runs.</summary>
    public GroupAggregationTracker Aggregation { get; }

    /// <summary>Events parsed so far.</summary>
    public long EventsProcessed => _decoder.EventsDecoded + _zeroCodeDecoder.EventsDecoded;


    /// <summary>Completes when the event stream ends: after a stop, or when the target exits.</summary>
    public Task Completion { get; }

    /// <summary>Whether the stream ended without a stop request (the target exited or closed the session).</summary>
    public bool EndedByTarget => Completion.IsCompleted && Volatile.Read(ref _stopRequested) == 0;

    /// <summary>A processing error other than the stream ending (a malformed stream), if any.</summary>
    public Exception? ProcessingError { get; private set; }

    /// <summary>Starts tracing <paramref name="target"/> through <paramref name="client"/>.</summary>
    /// <param name="fromFirstInstruction">True when the runtime is paused before Main (launch mode): threads not seen changing group are in the root group.</param>
    public static ProfilingSession Start(DiagnosticsClient client, TargetProcess target, SessionOptions options, IEnumerable<IAllocationTracker>? trackers = null, bool fromFirstInstruction = false)
    {
        var sampling = ProviderSet.Resolve(options.Sampling, target.RuntimeMajorVersion);
        var groupBy = TargetAppInspector.Resolve(options.GroupBy, target, pausedBeforeMain: fromFirstInstruction);
        string metricsSessionId = Guid.NewGuid().ToString();
        var providers = ZeroCodeProviders.WithoutGroupingActivityIds(ProviderSet.Build(options, sampling), groupBy)
            .Concat(ZeroCodeProviders.Build(groupBy, options.ActivitySources, target.RuntimeMajorVersion, metricsSessionId))
            .ToList();
        var configuration = new EventPipeSessionConfiguration(providers, options.BufferSizeMB, requestRundown: false, requestStackwalk: options.Stacks);
        var session = AttachTarget.StartSession(client, target, configuration);
        return new ProfilingSession(target, options, sampling, groupBy, metricsSessionId, fromFirstInstruction, session, trackers ?? []);
    }

    /// <summary>Stops the session (the runtime flushes its buffers) and waits for the last events to be processed.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0 && !Completion.IsCompleted)
        {
            await AwaitFinalTotalAsync().ConfigureAwait(false);
            try
            {
                using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
                await _session.StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or OperationCanceledException or TimeoutException or DiagnosticsClientException or ObjectDisposedException)
            {
                // The target is gone or not answering: closing the stream below ends processing all the same.
                _session.Dispose();
            }
        }

        var finished = await Task.WhenAny(Completion, Task.Delay(timeout ?? TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        if (finished != Completion)
        {
            _session.Dispose();
            await Completion.ConfigureAwait(false);
        }
    }

    /// <summary>Builds the report from what was gathered so far.</summary>
    public AllocationReport BuildReport(string mode, string endReason, IReadOnlyList<string>? notes = null)
    {
        if (Completion.IsCompleted)
        {
            // Losses counted after the last event; only once processing is over, as the attributor is single-threaded.
            _decoder.CheckEventsLost(_clock.Elapsed.TotalMilliseconds);
        }

        var allNotes = new List<string>(notes ?? []);
        long lost = Aggregation.EventsLostCount;
        if (lost > 0)
        {
            allNotes.Add($"EventPipe lost {lost} events: exact figures may be incomplete and threads were re-synchronized. Increase --buffer-size.");
        }

        if (_attributor.Threads.CounterResets > 0)
        {
            allNotes.Add($"{_attributor.Threads.CounterResets} intervals were dropped because a thread id was reused.");
        }

        if (Completion.IsCompleted && _attributor.Heap?.Statistics is { } heap)
        {
            // Read only once processing is over: the heap tracker belongs to the processing thread.
            allNotes.Add($"Frees: {heap.GcsProcessed} GCs followed ({heap.BackgroundGcs} background), {heap.Frees} sampled objects found dead, {heap.TrackedObjects} still tracked.");
            if (heap.UncertainGcs + heap.DroppedAtCapacity + heap.Forgotten > 0)
            {
                allNotes.Add($"Live bytes err high: {heap.UncertainGcs} GCs could not be judged safely and {heap.Forgotten + heap.DroppedAtCapacity} sampled objects stopped being followed ({heap.DroppedAtCapacity} over the tracking cap); they count as live.");
            }
        }

        if (TrackFreesBeforeAttach && Options.TrackFrees)
        {
            allNotes.Add("Live bytes cover objects allocated since the session started; older objects are not followed.");
        }

        if (Sampling == SamplingMode.Tick)
        {
            allNotes.Add("Sampled figures come from GCAllocationTick (every ~100 KB): biased for periodic allocation patterns and given without an interval.");
        }

        allNotes.AddRange(GroupingNotes());
        long? processAllocated = Totals.AllocatedBytes;
        if (processAllocated is null)
        {
            allNotes.Add("The process total is missing: no reading of the runtime's allocated-bytes counter arrived (session shorter than a second, or a runtime without the counter).");
        }

        else if (EndedByTarget)
        {
            allNotes.Add($"The process total covers the session up to the counter's last reading (every {ZeroCodeProviders.TotalIntervalSeconds:0.##} s): what the target allocated after it, just before it exited, is not in it.");
        }

        var groups = Aggregation.Snapshot(Target.ProcessId, Options.MaxTypesPerGroup, exactMeasured: !GroupBy.IsZeroCode);
        if (ProcessingError is not null)
        {
            allNotes.Add(TargetProcess.TryDescribe(Target.ProcessId) is null
                ? "The event stream ended abruptly: the process died, and the events it had not sent yet are lost."
                : $"Event processing stopped early: {ProcessingError.Message}");
        }

        return new AllocationReport
        {
            Session = new SessionReport
            {
                Mode = mode,
                TargetPid = Target.ProcessId,
                RuntimeVersion = Target.RuntimeVersion,
                SamplingMode = Sampling.ToString().ToLowerInvariant(),
                TrackFrees = Options.TrackFrees,
                StartedAt = StartedAt,
                DurationSeconds = Math.Round(_clock.Elapsed.TotalSeconds, 3),
                EndReason = endReason,
                EventsLost = lost,
                EventsProcessed = _decoder.EventsDecoded,
                UnknownThreadSamples = Aggregation.UnknownThreadSamples,
                Processes = [new ProcessReport
                {
                    ProcessId = Target.ProcessId,
                    Name = Target.Name,
                    RuntimeVersion = Target.RuntimeVersion,
                    Traced = true,
                    AllocatedBytes = processAllocated,
                    GroupedShare = GroupedShare.Of(groups, processAllocated),
                }],
                Notes = allNotes,
                GroupBy = GroupBy.Name,
                GroupByReason = GroupBy.Reason,
            },
            Groups = groups,
        };
    }

    /// <summary>
    /// The process total counts up to its last reading: before stopping, wait (about one interval at most) for a
    /// reading taken after the stop was asked for, so that the total covers the whole session.
    /// </summary>
    private async Task AwaitFinalTotalAsync()
    {
        if (!Totals.FirstReading.IsCompleted)
        {
            return;
        }

        var next = Totals.NextReading;
        await Task.WhenAny(next, Completion, Task.Delay(TimeSpan.FromSeconds((ZeroCodeProviders.TotalIntervalSeconds * 4) + 0.5))).ConfigureAwait(false);
    }

    /// <summary>Notes that explain the grouping: how it was chosen, what the exact column means, caps reached.</summary>
    private IEnumerable<string> GroupingNotes()
    {
        yield return $"Grouped by {GroupBy.Name}: {GroupBy.Reason}.";
        if (GroupBy.IsZeroCode)
        {
            string unit = GroupBy.Mode == GroupByMode.Requests ? "requests" : "Activities";
            yield return $"Groups made from {unit} have sampled estimates only (\"—\" under exact): exact bytes need code in the target — reference TrackingProfiler.Grouping and enter groups, or call ActivityAllocationGroups.Start() to make Activities groups.";
            if (_attributor.Foreign is { } foreign)
            {
                // Read after processing, or racing with it: these counters only grow, a torn read is harmless.
                if (foreign.OverflowStarts > 0)
                {
                    yield return $"{foreign.OverflowStarts:N0} {unit} had names beyond the cap of {foreign.MaxGroups} distinct groups: they are counted together in the overflow row.";
                }

                if (foreign.StartsWithoutPath > 0)
                {
                    yield return $"{foreign.StartsWithoutPath:N0} {unit} started without an ActivityTracker id (another tool may own activity ids): their allocations are not attributed to them.";
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _source.Dispose();
        _session.Dispose();
    }

    private void Process()
    {
        try
        {
            _source.Process();
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            // The target died or the stream was closed under us: what was processed stands.
        }
        catch (Exception e)
        {
            ProcessingError = e;
        }
    }
}
