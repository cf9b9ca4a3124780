namespace TrackingProfiler.Profiler.Events;

/// <summary>How a session started relative to the process it traces: it decides what the stream can know.</summary>
public enum SessionStart
{
    /// <summary>
    /// Attached to a running process: groups may have allocated before, so exact bytes are differences from the
    /// totals the rundown reports, and a thread that entered a group before the session and has not switched since
    /// carries no group id yet.
    /// </summary>
    Attached,

    /// <summary>
    /// Started before the process ran its first instruction (<c>run</c>, or a target that waited before entering any
    /// group): nothing was allocated in any group before the session, so every group starts at zero.
    /// </summary>
    BeforeFirstInstruction,
}
