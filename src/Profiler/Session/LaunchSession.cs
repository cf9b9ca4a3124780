using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Runs a command under tracking from its first instruction: starts it with every runtime pausing before Main,
/// traces the selected runtimes (session started, then resumed) and resumes the others at once, until the
/// command exits. See docs/run.md.
/// </summary>
public sealed class LaunchSession : IAsyncDisposable
{
    private const string MarkerName = "DOTNET_ALLOCTRACK_SESSION";

    /// <summary>
    /// Totals interval for launched commands: totals written while a process exits never reach the session (on
    /// .NET 10.0.12 the source is already disabled in AssemblyLoadContext.Unloading), so a command's exact figures
    /// end at its last periodic publication. A short interval keeps that tail short; only changed groups are
    /// published, so it costs at most ten events per second per active group.
    /// </summary>
    public const int LaunchedTotalsIntervalMs = 100;

    private readonly LaunchOptions _launch;
    private readonly SessionOptions _options;
    private readonly Process _child;
    private readonly Func<List<PausedRuntime>> _poll;
    private readonly ReversePortListener? _port;
    private readonly CommandTree _tree;
    private readonly Dictionary<int, bool> _tracedByPid = [];
    private readonly List<ProfilingSession> _sessions = [];
    private readonly List<ProcessReport> _processes = [];
    private readonly List<string> _notes = [];
    private readonly object _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private LaunchSession(LaunchOptions launch, SessionOptions options, Process child, CommandTree tree, ReversePortListener? port)
    {
        _port = port;
        _poll = port is not null ? port.Poll : new RuntimeWatcher(tree).Poll;
        _launch = launch;
        _options = options;
        _child = child;
        _tree = tree;
        StartedAt = DateTimeOffset.Now;
    }

    public DateTimeOffset StartedAt { get; }

    public int ChildProcessId => _child.Id;

    /// <summary>Called for each runtime found: whether it is traced.</summary>
    public event Action<DiscoveredRuntime, bool>? RuntimeDiscovered;

    public IReadOnlyList<ProfilingSession> Sessions
    {
        get
        {
            lock (_lock)
            {
                return [.. _sessions];
            }
        }
    }

    /// <summary>Starts the command. Its standard streams are the tool's own: output passes through untouched.</summary>
    public static LaunchSession Start(LaunchOptions launch, SessionOptions options)
    {
        // Sessions start on each runtime's default endpoint, also with a named port: without the folder, none could.
        EndpointFolder.EnsureExists();
        string marker = Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo(launch.FileName) { UseShellExecute = false };
        foreach (string argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Every runtime in the command's tree pauses before Main until resumed — on its default endpoint, or connected
        // to the named port — so that none can run a single instruction of Main, or allocate, before the tool decides
        // to trace it or not.
        var port = launch.DiagnosticPort is { } named ? ReversePortListener.Start(named) : null;
        if (port is not null)
        {
            info.Environment["DOTNET_DiagnosticPorts"] = launch.DiagnosticPort!.Path; // connect, suspend: the defaults
            info.Environment.Remove("DOTNET_DefaultDiagnosticPortSuspend");
        }
        else
        {
            info.Environment["DOTNET_DefaultDiagnosticPortSuspend"] = "1";
            info.Environment.Remove("DOTNET_DiagnosticPorts");
        }

        info.Environment[MarkerName] = marker;
        Process child;
        try
        {
            child = Process.Start(info) ?? throw new ProfilerException(ProfilerErrorKind.LaunchFailed, $"Could not start '{launch.FileName}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            port?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new ProfilerException(ProfilerErrorKind.LaunchFailed, $"Could not start '{launch.FileName}': {e.Message}.", e);
        }

        return new LaunchSession(launch, options, child, new CommandTree(MarkerName, marker), port);
    }

    /// <summary>
    /// Watches for runtimes until the command exits or <paramref name="stop"/> fires. Returns the command's exit code,
    /// or null when it was still running (stopped by the user or by the connect timeout, after killing it).
    /// </summary>
    public async Task<int?> RunAsync(CancellationToken stop)
    {
        bool anyRuntime = false;
        while (!_child.HasExited && !stop.IsCancellationRequested)
        {
            anyRuntime |= Discover();
            if (!anyRuntime && _clock.Elapsed > _launch.ConnectTimeout)
            {
                Terminate();
                throw new ProfilerException(ProfilerErrorKind.NeverConnected, $"'{_launch.FileName}' started no .NET runtime within {_launch.ConnectTimeout.TotalSeconds:0} s (not a .NET program, or DOTNET_EnableDiagnostics=0); it was stopped.");
            }

            try
            {
                await Task.Delay(15, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // Runtimes that appeared just before the exit must still be resumed, or they would wait forever.
        anyRuntime |= Discover();
        if (!_child.HasExited)
        {
            _notes.Add("Stopped before the command finished; the command was terminated.");
            Terminate();
            anyRuntime |= Discover();
            return null;
        }

        await _child.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

        // The command has exited, but a process it started may live on and start a runtime later (a background job:
        // `(sleep 2; exec dotnet x.dll) &`). That runtime inherited the pause: keep resuming (or tracing) until no
        // process of the command is left that could still start one, or that is traced.
        bool waitedForDescendants = false;
        while (!stop.IsCancellationRequested && HasPendingDescendants())
        {
            waitedForDescendants = true;
            anyRuntime |= Discover();
            if (!anyRuntime && _clock.Elapsed > _launch.ConnectTimeout)
            {
                Terminate();
                throw new ProfilerException(ProfilerErrorKind.NeverConnected, $"'{_launch.FileName}' exited, and the processes it left running started no .NET runtime within {_launch.ConnectTimeout.TotalSeconds:0} s; they were stopped.");
            }

            try
            {
                await Task.Delay(50, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        anyRuntime |= Discover();
        if (stop.IsCancellationRequested && HasPendingDescendants())
        {
            _notes.Add("Stopped while processes started by the command were still running; they were terminated.");
            Terminate();
            anyRuntime |= Discover();
        }
        else if (waitedForDescendants)
        {
            _notes.Add("The command exited before processes it started; the report covers them until they exited too.");
        }

        if (!anyRuntime)
        {
            throw new ProfilerException(ProfilerErrorKind.NeverConnected, $"'{_launch.FileName}' exited with code {_child.ExitCode} without starting a .NET runtime (not a .NET program, or DOTNET_EnableDiagnostics=0).");
        }

        if (_child.ExitCode >= 128)
        {
            _notes.Add($"The command ended with code {_child.ExitCode} (killed by signal {_child.ExitCode - 128}?): this report covers it until then.");
        }

        return _child.ExitCode;
    }

    /// <summary>Stops every session still running and waits for their last events.</summary>
    public async Task StopAsync()
    {
        foreach (var session in Sessions)
        {
            await session.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    /// <summary>One report for every traced process: their groups side by side, each with its process id.</summary>
    public AllocationReport BuildReport(string endReason, int? exitCode)
    {
        List<ProcessReport> processes;
        List<string> notes;
        lock (_lock)
        {
            processes = [.. _processes];
            notes = [.. _notes];
        }

        var summaries = Sessions.Select(s => s.Summarize()).ToList();
        var facts = new ReportBuilder.SessionFacts("run", endReason, StartedAt, _clock.Elapsed.TotalSeconds, exitCode, processes, notes);
        return ReportBuilder.Build(facts, summaries);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in Sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        Terminate();
        _child.Dispose();
        if (_port is not null)
        {
            await _port.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The runtime is paused and answering, so a version it did not give (seen once in 5 full CI runs, on a loaded
    /// machine: a self-contained .NET 8 app's report had no runtime version) is worth a second ask: the session's shape
    /// (stack walks, sampling kind) depends on it.
    /// </summary>
    private static string? AskVersionAgain(int pid)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            if (RuntimeInfo.TryRead(pid, TimeSpan.FromSeconds(5))?.Version is { } version)
            {
                return version;
            }
        }

        return null;
    }

    private bool Discover()
    {
        var found = _poll();
        foreach (var (runtime, resume) in found)
        {
            bool trace = ProcessSelection.ShouldTrace(runtime, _launch.TraceProcessNames);
            var target = TargetProcess.TryDescribe(runtime.ProcessId) ?? new TargetProcess(runtime.ProcessId, runtime.Name, runtime.CommandLine, null);
            target = target with { Name = runtime.Name, RuntimeVersion = target.RuntimeVersion ?? AskVersionAgain(runtime.ProcessId) };
            try
            {
                if (trace)
                {
                    var session = ProfilingSession.Start(
                        target,
                        OptionsForNextSession(runtime) with { TotalsIntervalMs = Math.Min(_options.TotalsIntervalMs, LaunchedTotalsIntervalMs) },
                        start: SessionStart.BeforeFirstInstruction);
                    lock (_lock)
                    {
                        _sessions.Add(session);
                    }
                }
            }
            catch (Exception e) when (e is ProfilerException or ServerNotAvailableException or IOException or DiagnosticsClientException or TimeoutException)
            {
                _notes.Add($"Process {runtime.ProcessId} ({runtime.Name}) could not be traced: {e.Message}");
                trace = false;
            }
            finally
            {
                // Whatever happened above (a refused session, an error, even a bug), the runtime must not stay paused.
                Resume(resume, runtime);
            }

            lock (_lock)
            {
                _processes.Add(new ProcessReport { ProcessId = runtime.ProcessId, Name = runtime.Name, RuntimeVersion = target.RuntimeVersion, CommandLine = runtime.CommandLine, Traced = trace });
            }

            _tracedByPid[runtime.ProcessId] = trace;
            RuntimeDiscovered?.Invoke(runtime, trace);
        }

        return found.Count > 0;
    }

    /// <summary>--save-trace keeps one stream: the first traced runtime's (a file holds one process's trace).</summary>
    private SessionOptions OptionsForNextSession(DiscoveredRuntime runtime)
    {
        lock (_lock)
        {
            if (_options.SaveTracePath is null || _sessions.Count == 0)
            {
                return _options;
            }
        }

        _notes.Add($"--save-trace kept the first traced process only; process {runtime.ProcessId} ({runtime.Name}) was traced without saving its events.");
        return _options with { SaveTracePath = null };
    }

    private void Resume(Action resume, DiscoveredRuntime runtime)
    {
        try
        {
            resume();
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or DiagnosticsClientException or TimeoutException or UnauthorizedAccessException or OperationCanceledException or InvalidDataException or NotSupportedException or System.Net.Sockets.SocketException)
        {
            // It died between discovery and here: nothing is paused any more.
            _notes.Add($"Process {runtime.ProcessId} ({runtime.Name}) could not be resumed: {e.Message}");
        }
    }

    /// <summary>Whether a process of the command is still alive that may yet start a runtime, or is traced.</summary>
    private bool HasPendingDescendants() =>
        _tree.Members().Any(pid => !_tracedByPid.TryGetValue(pid, out bool traced) || traced);

    private void Terminate() => _tree.Terminate(_child, TimeSpan.FromSeconds(5));
}
