namespace TrackingProfiler.Profiler.Session;

/// <summary>What <c>run</c> launches and which of the runtimes it starts are traced.</summary>
public sealed record LaunchOptions
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Names (main assembly or executable, without extension) of the processes to trace; empty = the default rule.</summary>
    public IReadOnlyList<string> TraceProcessNames { get; init; } = [];

    /// <summary>How long to wait for the first runtime of the command before giving up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A named port the tool listens on and the command's runtimes connect to, instead of their default endpoints.</summary>
    public DiagnosticPort? DiagnosticPort { get; init; }
}
