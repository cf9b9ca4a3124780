using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>The EventPipe providers a session enables, from the options and the resolved sampling mode.</summary>
internal static class ProviderSet
{
    public const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary>GC keyword: GCStart/GCEnd (Informational) and GCAllocationTick (Verbose).</summary>
    public const long GcKeyword = 0x1;

    /// <summary>GCHeapSurvivalAndMovement: surviving and moved ranges, needed to infer frees.</summary>
    public const long GcHeapSurvivalAndMovementKeyword = 0x400000;

    /// <summary>AllocationSampling (.NET 10+): event 303, AllocationSampled.</summary>
    public const long AllocationSamplingKeyword = 0x80000000000;

    /// <summary>Loader: module loads, to name the module of each frame (with --stacks).</summary>
    public const long LoaderKeyword = 0x8;

    /// <summary>JIT: <c>MethodLoadVerbose</c> (Verbose level) for every method compiled during the session (with --stacks).</summary>
    public const long JitKeyword = 0x10;

    /// <summary>CompilationDiagnostic: <c>R2RGetEntryPoint</c> for precompiled methods first called during the session (with --stacks).</summary>
    public const long CompilationDiagnosticKeyword = 0x2000000000;

    public static IReadOnlyList<EventPipeProvider> Build(SessionOptions options, SamplingMode resolvedSampling)
    {
        long keywords = 0;
        var level = EventLevel.Informational;
        switch (resolvedSampling)
        {
            case SamplingMode.Randomized:
                keywords |= AllocationSamplingKeyword;
                break;
            case SamplingMode.Tick:
                keywords |= GcKeyword;
                level = EventLevel.Verbose;
                break;
        }

        if (options.TrackFrees)
        {
            keywords |= GcKeyword | GcHeapSurvivalAndMovementKeyword;
        }

        if (options.Stacks && keywords != 0)
        {
            // Stacks are only worth their cost on allocation samples; resolving them needs the code's addresses.
            keywords |= LoaderKeyword | JitKeyword | CompilationDiagnosticKeyword;
            level = EventLevel.Verbose;
        }

        // Contract v2: names (with their rundown), group ids stamped on the runtime's own events through the
        // threads' activity ids, and cumulative totals at the interval the session asks for. No per-change events.
        var providers = new List<EventPipeProvider>
        {
            new(
                EventContract.SourceName,
                EventLevel.Informational,
                EventContract.KeywordRegistration | EventContract.KeywordActivityIds | EventContract.KeywordTotals,
                new Dictionary<string, string>
                {
                    [EventContract.TotalsIntervalArgument] = options.TotalsIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [EventContract.PublishOnReturnToRootArgument] = "true",
                }),
        };
        if (keywords != 0)
        {
            providers.Add(new EventPipeProvider(RuntimeProvider, level, keywords));
        }

        return providers;
    }

    /// <summary>Resolves <see cref="SamplingMode.Auto"/> from the target's runtime major version (null when unknown).</summary>
    public static SamplingMode Resolve(SamplingMode requested, int? runtimeMajorVersion) => requested switch
    {
        SamplingMode.Auto => runtimeMajorVersion is int major && major < 10 ? SamplingMode.Tick : SamplingMode.Randomized,
        _ => requested,
    };
}
