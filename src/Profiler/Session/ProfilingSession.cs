using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Replay;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Stacks;
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
    private readonly ForeignActivityGroups? _zeroCodeGroups;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly MethodAddressMap? _methods;
    private readonly CallPathTracker? _callPaths;
    private readonly RecordingStream? _recorder;
    private int _stopRequested;
    private double _endedAtMs;

    private ProfilingSession(TargetProcess target, SessionOptions options, SamplingMode sampling, SessionStart start, GroupByChoice groupBy, string metricsSessionId, EventPipeSession session, IEnumerable<IAllocationTracker> trackers, IForeignActivityResolver? foreignActivities, FileStream? traceFile, bool stackwalkForced)
    {
        StackwalkForced = stackwalkForced;
        Target = target;
        Options = options;
        Sampling = sampling;
        HowStarted = start;
        GroupBy = groupBy;
        StartedAt = DateTimeOffset.Now;
        _session = session;
        Aggregation = new GroupAggregationTracker(options.TrackFrees);
        Totals = new ProcessAllocationCounter(fromProcessStart: start == SessionStart.BeforeFirstInstruction);
        if (options.Stacks)
        {
            _methods = new MethodAddressMap();
            _callPaths = new CallPathTracker();
            trackers = trackers.Append(_callPaths);
        }

        var allTrackers = trackers.Prepend(Aggregation).ToArray();
        _zeroCodeGroups = CreateZeroCodeGroups(groupBy, options, info =>
        {
            foreach (var tracker in allTrackers)
            {
                tracker.GroupRegistered(info);
            }
        }, merge => _attributor!.OnGroupsMerged(merge));
        _attributor = new AllocationAttributor(allTrackers, start, options.TrackFrees, foreignActivities ?? _zeroCodeGroups);
        _recorder = traceFile is null ? null : RecordingStream.Tee(session.EventStream, traceFile);
        _source = new EventPipeEventSource(_recorder ?? session.EventStream);
        _decoder = new TraceEventDecoder(_source, _attributor, _methods);
        _zeroCodeDecoder = new ZeroCodeEventDecoder(_source, _zeroCodeGroups, Totals, metricsSessionId);
        Completion = Task.Factory.StartNew(Process, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public TargetProcess Target { get; }

    /// <summary>Whether the session saw the process from its first instruction or attached to it running.</summary>
    public SessionStart HowStarted { get; }

    public SessionOptions Options { get; }

    public SamplingMode Sampling { get; }

    /// <summary>Stack walks are on although not asked for: the runtime (before .NET 9) accepts no session without them.</summary>
    public bool StackwalkForced { get; }

    /// <summary>What the groups are, and why.</summary>
    public GroupByChoice GroupBy { get; }

    /// <summary>The process's own allocated-bytes counter, read a few times a second.</summary>
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

    /// <summary>Starts tracing <paramref name="target"/>.</summary>
    /// <param name="trackers">Custom trackers, called after the built-in aggregation.</param>
    /// <param name="start">
    /// <see cref="SessionStart.BeforeFirstInstruction"/> when the runtime is paused before Main (launch mode) or the
    /// target provably entered no group yet: every group then starts at zero.
    /// </param>
    /// <param name="foreignActivities">Claims samples with activity ids the Grouping library did not set; null leaves them foreign.</param>
    public static ProfilingSession Start(
        TargetProcess target,
        SessionOptions options,
        IEnumerable<IAllocationTracker>? trackers = null,
        SessionStart start = SessionStart.Attached,
        IForeignActivityResolver? foreignActivities = null)
        => Start(new DiagnosticsClient(target.ProcessId), target, options, trackers, start, foreignActivities);

    /// <summary>Starts tracing <paramref name="target"/> through a client the caller connected (a reverse diagnostic port).</summary>
    internal static ProfilingSession Start(
        DiagnosticsClient client,
        TargetProcess target,
        SessionOptions options,
        IEnumerable<IAllocationTracker>? trackers = null,
        SessionStart start = SessionStart.Attached,
        IForeignActivityResolver? foreignActivities = null)
    {
        var groupBy = TargetAppInspector.Resolve(options.GroupBy, target, pausedBeforeMain: start == SessionStart.BeforeFirstInstruction);
        string metricsSessionId = Guid.NewGuid().ToString();
        var traceFile = options.SaveTracePath is { } path ? RecordingStream.CreateFile(path) : null;
        try
        {
            // A runtime before .NET 9 accepts no session without stack walks: SessionStarter asks for what it accepts.
            // With stacks, the rundown the runtime sends when the session stops names the methods compiled before it started.
            var ((session, sampling), attempt) = SessionStarter.Start(target.RuntimeMajorVersion, options.Stacks, attempt =>
            {
                var sampling = ProviderSet.Resolve(options.Sampling, attempt.RuntimeMajorVersion);
                var providers = ZeroCodeProviders.WithoutGroupingActivityIds(ProviderSet.Build(options, sampling), groupBy)
                    .Concat(ZeroCodeProviders.Build(groupBy, options.ActivitySources, attempt.RuntimeMajorVersion, metricsSessionId, options.TotalsIntervalMs))
                    .ToList();
                var configuration = new EventPipeSessionConfiguration(
                    providers, options.BufferSizeMB, requestRundown: options.Stacks, requestStackwalk: attempt.Stackwalk);
                return (AttachTarget.StartSession(client, target, configuration), sampling);
            });
            return new ProfilingSession(target, options, sampling, start, groupBy, metricsSessionId, session, trackers ?? [], foreignActivities, traceFile, SessionStarter.StackwalkForced(attempt, options.Stacks));
        }
        catch
        {
            // Nothing was traced: leave no empty trace file behind.
            if (traceFile is not null)
            {
                traceFile.Dispose();
                File.Delete(traceFile.Name);
            }

            throw;
        }
    }

    /// <summary>Stops the session (the runtime flushes its buffers) and waits for the last events to be processed.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) == 0 && !Completion.IsCompleted)
        {
            // The target publishes exact totals every TotalsIntervalMs, and what it writes while exiting never reaches a
            // session: let one more publication happen, so the bytes allocated up to the stop are in the stream.
            var oneMorePublication = Task.WhenAny(Completion, Task.Delay(Options.TotalsIntervalMs + 100));
            await AwaitFinalTotalAsync().ConfigureAwait(false);
            await oneMorePublication.ConfigureAwait(false);
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

    /// <summary>
    /// What the session gathered so far, as plain facts. Changes nothing: safe to call while the session runs (the
    /// attribution counters are then read as they are) and as often as wanted.
    /// </summary>
    internal TracedProcessSummary Summarize()
    {
        double endMs = Completion.IsCompleted ? _endedAtMs : _clock.Elapsed.TotalMilliseconds;
        double streamEndMs = Math.Max(endMs, _decoder.LastTimestampMs);
        string? stoppedEarly = ProcessingError is null
            ? null
            : TargetProcess.TryDescribe(Target.ProcessId) is null
                ? "The event stream ended abruptly: the process died, and the events it had not sent yet are lost."
                : $"Event processing stopped early: {ProcessingError.Message}";
        var groups = Aggregation.Snapshot(Target.ProcessId, Options.MaxTypesPerGroup, streamEndMs);
        var notes = new List<string>(SessionNotes.For(this, groups));
        if (Completion.IsCompleted && _callPaths is not null && _methods is not null)
        {
            // Resolved once processing is over: the rundown, which names pre-session methods, comes last.
            groups = _callPaths.AddCallPaths(groups, _methods, Options.MaxCallPathsPerGroup);
            notes.AddRange(_callPaths.Notes(_methods));
        }

        if (Completion.IsCompleted && _recorder is not null)
        {
            notes.Add(_recorder.Error is null
                ? $"Raw trace saved to {_recorder.Path} ({_recorder.BytesWritten:N0} bytes)."
                : $"The raw trace in {_recorder.Path} is incomplete: {_recorder.Error}");
        }

        long? processAllocated = Totals.AllocatedBytes;
        return new TracedProcessSummary
        {
            Process = new ProcessReport
            {
                ProcessId = Target.ProcessId,
                Name = Target.Name,
                RuntimeVersion = Target.RuntimeVersion,
                Traced = true,
                AllocatedBytes = processAllocated,
                GroupedShare = GroupedShare.Of(groups, processAllocated),
            },
            GroupBy = GroupBy,
            GroupingNotes = [.. GroupingNotes(processAllocated)],
            SamplingMode = Sampling.ToString().ToLowerInvariant(),
            TrackFrees = Options.TrackFrees,
            Start = HowStarted,
            StartedAt = StartedAt,
            DurationSeconds = endMs / 1000,
            TotalsIntervalMs = Options.TotalsIntervalMs,
            EventsLost = Aggregation.EventsLostCount,
            EventsProcessed = _decoder.EventsDecoded,
            Attribution = _attributor.Statistics,
            Groups = groups,
            GroupsSampledAfterTheirTotals = Aggregation.GroupsSampledAfterTheirTotals(),
            Notes = notes,
            ProcessingStoppedEarly = stoppedEarly,
        };
    }

    /// <summary>The report of this session alone (attach and demo modes); see <see cref="ReportBuilder"/>.</summary>
    /// <param name="notes">Notes only the caller knows (the session was cut short), first in the report.</param>
    public AllocationReport BuildReport(string mode, string endReason, IReadOnlyList<string>? notes = null)
    {
        var summary = Summarize();
        return ReportBuilder.Build(new ReportBuilder.SessionFacts(mode, endReason, StartedAt, summary.DurationSeconds, Notes: notes), [summary]);
    }

    private static ForeignActivityGroups? CreateZeroCodeGroups(GroupByChoice groupBy, SessionOptions options, Action<GroupInfo> created, Action<GroupMerge> merged) => groupBy.Mode switch
    {
        GroupByMode.Requests => new ForeignActivityGroups(ZeroCodeGrouping.Requests, created, maxGroups: options.MaxGroups, merged: merged),
        GroupByMode.Activities => new ForeignActivityGroups(
            ZeroCodeGrouping.Activities,
            created,
            options.ActivitySources is { Count: > 0 } sources ? sources.ToHashSet(StringComparer.Ordinal) : null,
            options.MaxGroups),
        _ => null,
    };

    /// <summary>
    /// The process total counts up to its last reading: before stopping, wait (a few intervals at most) for a reading
    /// taken after the stop was asked for, so that the total covers the whole session.
    /// </summary>
    private async Task AwaitFinalTotalAsync()
    {
        if (!Totals.FirstReading.IsCompleted)
        {
            return;
        }

        // Trace timestamps count from the session's start in the target (SessionStartTime), a moment before this clock
        // started: of the two readings of "now" the later is the safe one, so the reading waited for was taken after
        // the stop was asked for.
        double now = Math.Max(_clock.Elapsed.TotalMilliseconds, (DateTime.Now - _source.SessionStartTime).TotalMilliseconds);
        var giveUp = Task.WhenAny(Completion, Task.Delay(TimeSpan.FromMilliseconds((Options.TotalsIntervalMs * 8) + 1000)));
        await Totals.WaitForReadingAtOrAfterAsync(now, giveUp).ConfigureAwait(false);
    }

    /// <summary>Notes that explain the grouping and the process total: how the grouping was chosen, caps reached.</summary>
    private IEnumerable<string> GroupingNotes(long? processAllocated)
    {
        yield return $"Grouped by {GroupBy.Name}: {GroupBy.Reason}.";
        if (GroupBy.IsZeroCode)
        {
            string unit = GroupBy.Mode == GroupByMode.Requests ? "requests" : "Activities";
            yield return $"Groups made from {unit} have sampled estimates only (\"—\" under exact): exact bytes need code in the target — reference TrackingProfiler.Grouping and enter groups, or call ActivityAllocationGroups.Start() to make Activities groups.";
            if (_zeroCodeGroups is { } groups)
            {
                // Counters that only grow: read while processing runs, a stale value is harmless.
                if (groups.OverflowStarts > 0)
                {
                    yield return $"{groups.OverflowStarts:N0} {unit} had names beyond the cap of {groups.MaxGroups} distinct groups: they are pooled in the over-the-cap row.";
                }

                if (GroupBy.Mode == GroupByMode.Requests)
                {
                    foreach (string note in RouteNotes(groups))
                    {
                        yield return note;
                    }
                }

                if (groups.StartsWithoutPath > 0)
                {
                    yield return $"{groups.StartsWithoutPath:N0} {unit} started without an ActivityTracker id (activity flow was off for them): their allocations could not be attributed to them.";
                }
            }
        }

        if (processAllocated is null)
        {
            yield return "The process total is missing: no reading of the runtime's allocated-bytes counter arrived (a session shorter than the counter's interval, or a runtime without the counter).";
        }
        else if (Totals.UncoveredUntilMs is double uncovered && uncovered >= 1)
        {
            yield return $"The process total starts at the runtime counter's first reading, {uncovered / 1000:0.0} s into the session (read every {Options.TotalsIntervalMs / 1000.0:0.##} s; a first reading has nothing to subtract from): what the process allocated before it is in the groups' figures, not in the total, so their share of it can exceed 100%.";
        }

        if (processAllocated is not null && EndedByTarget)
        {
            yield return $"The process total covers the session up to the counter's last reading (every {Options.TotalsIntervalMs / 1000.0:0.##} s): what the target allocated after it, just before it exited, is not in it.";
        }
    }

    /// <summary>How request groups were named: by route templates learned from the target's metric, or by folded path.</summary>
    private static IEnumerable<string> RouteNotes(ForeignActivityGroups groups)
    {
        if (groups.RouteTemplatesLearned == 0)
        {
            yield return "No route template was learned (ASP.NET Core 8+ reports them in its http.server.request.duration metric, through the System.Diagnostics.Metrics provider, which another tool's session may hold): request groups are named by their path with id-like segments (numbers, GUIDs, long hex) folded to {id}.";
            yield break;
        }

        string merged = groups.GroupsMerged > 0
            ? $"; {groups.GroupsMerged:N0} groups of requests that started before their template was known were merged into it"
            : string.Empty;
        yield return $"Request groups are named by their route template, learned from ASP.NET Core's http.server.request.duration metric ({groups.RouteTemplatesLearned:N0} method and template pairs{merged}).";
        if (groups.GroupsNamedByPath > 0)
        {
            yield return $"{groups.GroupsNamedByPath:N0} request groups matched no learned template (no endpoint, a complex route segment, or a route not reported yet): they are named by their path with id-like segments folded to {{id}}.";
        }

        if (groups.RouteTemplatesRefused > 0)
        {
            yield return $"{groups.RouteTemplatesRefused:N0} route templates were ignored (beyond the cap of {RouteTemplates.MaxTemplates} or longer than {RouteTemplates.MaxTemplateLength} characters): their requests are named by folded path.";
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
        finally
        {
            // Losses counted after the last event: only this thread may feed the attributor, so count them here.
            _decoder.CheckEventsLost(_decoder.LastTimestampMs);
            _endedAtMs = _clock.Elapsed.TotalMilliseconds;
            _recorder?.Complete();
        }
    }
}
