using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli;

/// <summary>The tool's exit codes; docs/exit-codes.md lists them for users and scripts.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int GateFailed = 1;
    public const int UsageError = 2;
    public const int NoSuchProcess = 3;
    public const int NotDotNet = 4;
    public const int PermissionDenied = 5;
    public const int DiagnosticsDisabled = 6;
    public const int TargetExited = 7;
    public const int NeverConnected = 8;
    public const int LaunchFailed = 9;
    public const int SessionRefused = 10;
    public const int EventsLost = 11;
    public const int OutputFailed = 12;
    public const int InternalError = 70;

    /// <summary>Stopped by Ctrl+C or SIGTERM before the work was done (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    public static int From(ProfilerErrorKind kind) => kind switch
    {
        ProfilerErrorKind.Usage => UsageError,
        ProfilerErrorKind.NoSuchProcess => NoSuchProcess,
        ProfilerErrorKind.NotDotNet => NotDotNet,
        ProfilerErrorKind.PermissionDenied => PermissionDenied,
        ProfilerErrorKind.DiagnosticsDisabled => DiagnosticsDisabled,
        ProfilerErrorKind.TargetExited => TargetExited,
        ProfilerErrorKind.NeverConnected => NeverConnected,
        ProfilerErrorKind.LaunchFailed => LaunchFailed,
        ProfilerErrorKind.SessionRefused => SessionRefused,
        ProfilerErrorKind.EventsLost => EventsLost,
        ProfilerErrorKind.OutputFailed => OutputFailed,
        _ => InternalError,
    };
}
