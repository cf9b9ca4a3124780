namespace TrackingProfiler.Profiler.Session;

/// <summary>The expected ways a session can fail; each maps to a documented exit code in the CLI.</summary>
public enum ProfilerErrorKind
{
    /// <summary>The command line or an input file (report, baseline, budget) is wrong: exit code 2.</summary>
    Usage,

    /// <summary>No process has the given id or name.</summary>
    NoSuchProcess,

    /// <summary>The process exists but is not a .NET (CoreCLR) process.</summary>
    NotDotNet,

    /// <summary>The process is .NET but the profiler may not connect to it (another user, or a sandbox).</summary>
    PermissionDenied,

    /// <summary>The process runs with <c>DOTNET_EnableDiagnostics=0</c> (or its diagnostics socket is not visible).</summary>
    DiagnosticsDisabled,

    /// <summary>The target process exited while being traced.</summary>
    TargetExited,

    /// <summary>A launched command never connected its runtime to the profiler.</summary>
    NeverConnected,

    /// <summary>The command to launch could not be started.</summary>
    LaunchFailed,

    /// <summary>The runtime answered but refused the session's configuration (an unsupported runtime or command).</summary>
    SessionRefused,

    /// <summary>A report to gate lost events, so its exact figures may be wrong (and <c>--allow-lost-events</c> was not given).</summary>
    EventsLost,

    /// <summary>An output file could not be written (bad path, permission, full disk, a destination that is not a regular file).</summary>
    OutputFailed,
}
