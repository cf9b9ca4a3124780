namespace TrackingProfiler.Profiler.Session;

/// <summary>An expected failure with a one-line message for the user; the CLI prints it without a stack trace.</summary>
public sealed class ProfilerException : Exception
{
    public ProfilerException(ProfilerErrorKind kind, string message, Exception? inner = null)
        : base(message, inner) => Kind = kind;

    public ProfilerErrorKind Kind { get; }
}
