using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Providers for groups that need no code in the target, and for the process's own allocated-bytes total (every mode).
/// </summary>
public static class ZeroCodeProviders
{
    /// <summary>TPL's EventSource; its <see cref="TasksFlowActivityIds"/> keyword turns the runtime's ActivityTracker on.</summary>
    public const string TplProvider = "System.Threading.Tasks.TplEventSource";

    /// <summary>
    /// TasksFlowActivityIds: every EventSource Start event creates an activity id that flows with the async context,
    /// and the runtime stamps each AllocationSampled/GCAllocationTick with the thread's current id.
    /// </summary>
    public const long TasksFlowActivityIds = 0x80;

    /// <summary>ASP.NET Core's hosting EventSource: <c>Request/Start</c> (method, path) and <c>Request/Stop</c>.</summary>
    public const string HostingProvider = "Microsoft.AspNetCore.Hosting";

    /// <summary>The bridge from DiagnosticSource and ActivitySource to EventSource.</summary>
    public const string DiagnosticSourceProvider = "Microsoft-Diagnostics-DiagnosticSource";

    /// <summary>Messages (0x1) and Events (0x2) of the DiagnosticSource bridge.</summary>
    public const long DiagnosticSourceKeywords = 0x3;

    public const string MetricsProvider = "System.Diagnostics.Metrics";

    /// <summary>TimeSeriesValues: the metrics provider publishes instrument values at its refresh interval.</summary>
    public const long MetricsTimeSeriesKeyword = 0x2;

    public const string TotalAllocatedInstrument = "dotnet.gc.heap.total_allocated";

    /// <summary>ASP.NET Core's meter (8+); its request-duration histogram carries the route template in <c>http.route</c>.</summary>
    public const string HostingMeter = "Microsoft.AspNetCore.Hosting";

    public const string RequestDurationInstrument = "http.server.request.duration";

    /// <summary>
    /// Histograms the metrics provider keeps in the target in requests mode: one per (route, method, status code,
    /// protocol, scheme) seen. Each costs the target a few KB; routes beyond the cap are named by their folded path.
    /// </summary>
    public const int MaxRequestHistograms = 200;

    /// <summary>The runtime's EventCounters provider (.NET Core 3+); its <c>alloc-rate</c> counter increments by allocated bytes.</summary>
    public const string RuntimeCountersProvider = "System.Runtime";

    public const string AllocRateCounter = "alloc-rate";

    /// <summary>
    /// The providers to add for <paramref name="choice"/>, plus the process-total counter (the meter on .NET 9+, the
    /// EventCounter before, both when the version is unknown), read every <paramref name="totalIntervalMs"/>: the same
    /// interval as the groups' totals, so that one setting says how fresh every total is and how long a stop waits.
    /// </summary>
    public static IReadOnlyList<EventPipeProvider> Build(GroupByChoice choice, IReadOnlyList<string>? activitySources, int? runtimeMajorVersion, string metricsSessionId, int totalIntervalMs)
    {
        string intervalSeconds = (totalIntervalMs / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var providers = new List<EventPipeProvider>();
        if (choice.IsZeroCode)
        {
            providers.Add(new EventPipeProvider(TplProvider, EventLevel.Informational, TasksFlowActivityIds));
        }

        if (choice.Mode == GroupByMode.Requests)
        {
            providers.Add(new EventPipeProvider(HostingProvider, EventLevel.Informational, -1));
        }
        else if (choice.Mode == GroupByMode.Activities)
        {
            providers.Add(new EventPipeProvider(DiagnosticSourceProvider, EventLevel.Informational, DiagnosticSourceKeywords,
                new Dictionary<string, string> { ["FilterAndPayloadSpecs"] = ActivityFilter(activitySources) }));
        }

        // Requests mode also asks for the hosting histogram (route templates), which ASP.NET Core 8 already has.
        bool routes = choice.Mode == GroupByMode.Requests;
        bool totalFromMeter = runtimeMajorVersion is null or >= 9;
        if (totalFromMeter || routes)
        {
            var metrics = new List<string>();
            if (totalFromMeter)
            {
                metrics.Add("System.Runtime\\" + TotalAllocatedInstrument);
            }

            if (routes)
            {
                metrics.Add(HostingMeter + "\\" + RequestDurationInstrument);
            }

            providers.Add(new EventPipeProvider(MetricsProvider, EventLevel.Informational, MetricsTimeSeriesKeyword, new Dictionary<string, string>
            {
                ["SessionId"] = metricsSessionId,
                ["Metrics"] = string.Join(',', metrics),
                ["RefreshInterval"] = intervalSeconds,

                // Histograms count as time series too.
                ["MaxTimeSeries"] = routes ? (MaxRequestHistograms + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : "10",
                ["MaxHistograms"] = routes ? MaxRequestHistograms.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0",
            }));
        }

        if (runtimeMajorVersion is null or < 9)
        {
            providers.Add(new EventPipeProvider(RuntimeCountersProvider, EventLevel.Informational, 0, new Dictionary<string, string>
            {
                ["EventCounterIntervalSec"] = intervalSeconds,
            }));
        }

        return providers;
    }

    /// <summary>
    /// In requests and activities mode the runtime's ActivityTracker owns the thread's activity id: the Grouping library
    /// must not stamp it too (keyword 0x4), or each would overwrite the other's ids. Its names and exact totals stay on.
    /// </summary>
    public static IReadOnlyList<EventPipeProvider> WithoutGroupingActivityIds(IReadOnlyList<EventPipeProvider> providers, GroupByChoice choice)
    {
        if (!choice.IsZeroCode)
        {
            return providers;
        }

        return [.. providers.Select(p => p.Name == EventContract.SourceName
            ? new EventPipeProvider(p.Name, p.EventLevel, EventContract.KeywordRegistration | EventContract.KeywordTotals, p.Arguments)
            : p)];
    }

    /// <summary>
    /// One <c>[AS]</c> rule per followed ActivitySource (all by default), with no payload (<c>:-</c>): the event's own
    /// SourceName and ActivityName fields are all that grouping needs.
    /// </summary>
    public static string ActivityFilter(IReadOnlyList<string>? sources) =>
        sources is null or { Count: 0 } ? "[AS]*:-" : string.Join("\n", sources.Select(s => $"[AS]{s}:-"));
}
