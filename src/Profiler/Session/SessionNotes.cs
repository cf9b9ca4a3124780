using System.Globalization;

namespace TrackingProfiler.Profiler.Session;

/// <summary>Report notes about how the session ran on this runtime: what the runtime forced, and why samples are missing.</summary>
internal static class SessionNotes
{
    public static IEnumerable<string> For(ProfilingSession session, IReadOnlyList<Reports.GroupReport> groups)
    {
        if (session.StackwalkForced)
        {
            yield return "Stack walks are on although not asked for: this runtime (before .NET 9) accepts no session without them; each traced event costs the target a stack walk (see docs/performance.md); --stacks would also turn them into call paths per group.";
        }

        if (session.Sampling is SamplingMode.None || groups.Sum(g => g.Samples) > 0)
        {
            yield break;
        }

        int? major = session.Target.RuntimeMajorVersion;
        string? why = NoSamplesReason(session.Sampling, major);
        if (why is not null)
        {
            yield return why;
        }
    }

    /// <summary>Why a session of this sampling mode on this runtime saw no sample.</summary>
    public static string? NoSamplesReason(SamplingMode sampling, int? runtimeMajorVersion) => sampling switch
    {
        SamplingMode.Randomized when runtimeMajorVersion is < 10 => string.Create(CultureInfo.InvariantCulture,
            $"No allocation samples: randomized sampling (AllocationSampled) exists from .NET 10 and this runtime is .NET {runtimeMajorVersion}; use --sampling tick (or auto)."),
        SamplingMode.Randomized when runtimeMajorVersion is null =>
            "No allocation samples: randomized sampling (AllocationSampled) exists from .NET 10 and this runtime's version could not be read; if it is older, use --sampling tick.",
        SamplingMode.Randomized or SamplingMode.Tick =>
            "No allocation samples: the runtime samples about once per 100 KB allocated, and the traced code allocated less than that while the session ran.",
        _ => null,
    };
}
