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
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly MethodAddressMap? _methods;
    private readonly CallPathTracker? _callPaths;
    private readonly RecordingStream? _recorder;
    private int _stopRequested;

    private ProfilingSession(TargetProcess target, SessionOptions options, SamplingMode sampling, bool fromFirstInstruction, EventPipeSession session, IEnumerable<IAllocationTracker> trackers, FileStream? traceFile)
    {
        TrackFreesBeforeAttach = !fromFirstInstruction;
        Target = target;
        Options = options;
        Sampling = sampling;
        StartedAt = DateTimeOffset.Now;
        _session = session;
        Aggregation = new GroupAggregationTracker(options.TrackFrees);
        if (options.Stacks)
        {
            _methods = new MethodAddressMap();
            _callPaths = new CallPathTracker();
            trackers = trackers.Append(_callPaths);
        }

        _attributor = new AllocationAttributor(trackers.Prepend(Aggregation), unseenThreadsAreRoot: fromFirstInstruction, options.TrackFrees);
        _recorder = traceFile is null ? null : RecordingStream.Tee(session.EventStream, traceFile);
        _source = new EventPipeEventSource(_recorder ?? session.EventStream);
        _decoder = new TraceEventDecoder(_source, _attributor, _methods);
        Completion = Task.Factory.StartNew(Process, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public TargetProcess Target { get; }

    private bool TrackFreesBeforeAttach { get; }

    public SessionOptions Options { get; }

    public SamplingMode Sampling { get; }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The built-in per-group tracker; safe to snapshot from any thread while the session runs.</summary>
    public GroupAggregationTracker Aggregation { get; }

    /// <summary>Events parsed so far.</summary>
    public long EventsProcessed => _decoder.EventsDecoded;


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

        // With stacks, the rundown the runtime sends when the session stops names the methods compiled before it started.
        var configuration = new EventPipeSessionConfiguration(
            ProviderSet.Build(options, sampling), options.BufferSizeMB, requestRundown: options.Stacks, requestStackwalk: options.Stacks);
        var traceFile = options.SaveTracePath is { } path ? RecordingStream.CreateFile(path) : null;
        try
        {
            var session = AttachTarget.StartSession(client, target, configuration);
            return new ProfilingSession(target, options, sampling, fromFirstInstruction, session, trackers ?? [], traceFile);
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

        if (ProcessingError is not null)
        {
            allNotes.Add(TargetProcess.TryDescribe(Target.ProcessId) is null
                ? "The event stream ended abruptly: the process died, and the events it had not sent yet are lost."
                : $"Event processing stopped early: {ProcessingError.Message}");
        }

        var groups = Aggregation.Snapshot(Target.ProcessId, Options.MaxTypesPerGroup);
        if (Completion.IsCompleted && _callPaths is not null && _methods is not null)
        {
            // Resolved once processing is over: the rundown, which names pre-session methods, comes last.
            groups = _callPaths.AddCallPaths(groups, _methods, Options.MaxCallPathsPerGroup);
            allNotes.AddRange(_callPaths.Notes(_methods));
        }

        if (Completion.IsCompleted && _recorder is not null)
        {
            allNotes.Add(_recorder.Error is null
                ? $"Raw trace saved to {_recorder.Path} ({_recorder.BytesWritten:N0} bytes)."
                : $"The raw trace in {_recorder.Path} is incomplete: {_recorder.Error}");
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
                Processes = [new ProcessReport { ProcessId = Target.ProcessId, Name = Target.Name, RuntimeVersion = Target.RuntimeVersion, Traced = true }],
                Notes = allNotes,
            },
            Groups = groups,
        };
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
            _recorder?.Complete();
        }
    }
}
