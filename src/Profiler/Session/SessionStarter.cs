using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>One try at starting a session: whether stack walks are on, and the runtime major version assumed.</summary>
/// <param name="RuntimeMajorVersion">Known from the runtime, inferred from a refusal (8), or null when unknown.</param>
public readonly record struct SessionAttempt(bool Stackwalk, int? RuntimeMajorVersion);

/// <summary>
/// Starts a session with a configuration the runtime accepts. Stack walks cost 600–750 ns per event in the target,
/// so they are off unless asked for; but only .NET 9 and later accept a session without them (.NET 8 answers
/// "Command is not supported" to the newer collect command that carries the flag). So: on a runtime known to be
/// older than 9, ask with stack walks at once; on one of unknown version, ask without and, on that refusal, again
/// with them (which also tells the runtime is older than 9).
/// </summary>
public static class SessionStarter
{
    /// <summary>Runs <paramref name="start"/> once or twice; returns its result and the attempt that succeeded.</summary>
    /// <exception cref="ProfilerException">SessionRefused when the runtime refuses every configuration.</exception>
    public static (T Result, SessionAttempt Attempt) Start<T>(int? runtimeMajorVersion, bool stacksRequested, Func<SessionAttempt, T> start)
    {
        var first = new SessionAttempt(Stackwalk: stacksRequested || runtimeMajorVersion is < 9, runtimeMajorVersion);
        try
        {
            return (start(first), first);
        }
        catch (Exception e) when (!first.Stackwalk && IsUnsupportedCommand(e))
        {
            var retry = new SessionAttempt(Stackwalk: true, runtimeMajorVersion ?? 8);
            return (start(retry), retry);
        }
    }

    /// <summary>Whether stack walks are on although the user did not ask for them (a note in the report says so).</summary>
    public static bool StackwalkForced(SessionAttempt attempt, bool stacksRequested) => attempt.Stackwalk && !stacksRequested;

    private static bool IsUnsupportedCommand(Exception e) =>
        e is UnsupportedCommandException || e.InnerException is UnsupportedCommandException;
}
