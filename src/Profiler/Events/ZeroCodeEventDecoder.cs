using System.Collections;
using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using TrackingProfiler.Profiler.Attribution;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Tracking;

namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// The TraceEvent edge for groups that need no code in the target: ASP.NET Core's request events, the
/// DiagnosticSource bridge's Activity events, and the runtime's allocated-bytes counters. Like
/// <see cref="TraceEventDecoder"/>, it turns TraceEvent objects into the project's records and hands them to a sink.
/// </summary>
public sealed class ZeroCodeEventDecoder
{
    private readonly ForeignActivityGroups? _scopes;
    private readonly ProcessAllocationCounter _totals;
    private readonly string _metricsSessionId;

    /// <param name="scopes">Receives request and Activity starts and stops, in stream order with the samples (null: not grouping by them).</param>
    /// <param name="totals">Receives the readings of the process's allocated-bytes counter.</param>
    /// <param name="metricsSessionId">The <c>SessionId</c> argument this session gave the metrics provider: other sessions' values are ignored.</param>
    public ZeroCodeEventDecoder(TraceEventDispatcher source, ForeignActivityGroups? scopes, ProcessAllocationCounter totals, string metricsSessionId)
    {
        _scopes = scopes;
        _totals = totals;
        _metricsSessionId = metricsSessionId;
        source.Dynamic.All += OnEvent;
    }

    /// <summary>Events decoded so far.</summary>
    public long EventsDecoded { get; private set; }

    private void OnEvent(TraceEvent data)
    {
        switch (data.ProviderName)
        {
            case ZeroCodeProviders.HostingProvider:
                OnHosting(data);
                break;
            case ZeroCodeProviders.DiagnosticSourceProvider:
                OnDiagnosticSource(data);
                break;
            case ZeroCodeProviders.MetricsProvider:
                OnMetrics(data);
                break;
            case ZeroCodeProviders.RuntimeCountersProvider:
                OnEventCounters(data);
                break;
        }
    }

    private void OnHosting(TraceEvent data)
    {
        switch (data.EventName)
        {
            case "Request/Start":
                EventsDecoded++;
                _scopes?.OnRequestStart(new RequestStartEvent(
                    data.TimeStampRelativeMSec, data.ThreadID, data.ActivityID, Text(data, "method"), Text(data, "path")));
                break;
            case "Request/Stop":
                EventsDecoded++;
                _scopes?.OnStop(new ScopeStopEvent(data.TimeStampRelativeMSec, data.ActivityID));
                break;
        }
    }

    private void OnDiagnosticSource(TraceEvent data)
    {
        switch (data.EventName)
        {
            case "Activity/Start":
                EventsDecoded++;
                _scopes?.OnActivityStart(new ActivityStartEvent(
                    data.TimeStampRelativeMSec, data.ThreadID, data.ActivityID, Text(data, "SourceName"), Text(data, "ActivityName")));
                break;
            case "Activity/Stop":
                EventsDecoded++;
                _scopes?.OnStop(new ScopeStopEvent(data.TimeStampRelativeMSec, data.ActivityID));
                break;
        }
    }

    private void OnMetrics(TraceEvent data)
    {
        if (data.EventName == "HistogramValuePublished")
        {
            OnHistogram(data);
            return;
        }

        // An ObservableCounter publishes CounterRateValuePublished; `value` (the cumulative total) exists from .NET 8 on.
        if (data.EventName != "CounterRateValuePublished"
            || Text(data, "instrumentName") != ZeroCodeProviders.TotalAllocatedInstrument
            || Text(data, "sessionId") != _metricsSessionId
            || !double.TryParse(Text(data, "value"), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return;
        }

        EventsDecoded++;
        _totals.OnReading(new ProcessAllocatedEvent(data.TimeStampRelativeMSec, AllocatedCounterKind.Meter, (long)value));
    }

    // ASP.NET Core 8+ records http.server.request.duration with the route template in `http.route` (absent when no
    // endpoint matched). Payload (.NET 8, 9, 10): sessionId, meterName, meterVersion, instrumentName, unit, tags
    // ("key=value,key=value", unescaped), quantiles, count, sum.
    private void OnHistogram(TraceEvent data)
    {
        if (_scopes is null
            || Text(data, "instrumentName") != ZeroCodeProviders.RequestDurationInstrument
            || Text(data, "meterName") != ZeroCodeProviders.HostingMeter
            || Text(data, "sessionId") != _metricsSessionId)
        {
            return;
        }

        var tags = MetricTags.Parse(Text(data, "tags"));
        if (tags.TryGetValue("http.route", out string? route) && route.Length > 0)
        {
            EventsDecoded++;
            _scopes.OnRouteTemplate(new RouteTemplateEvent(
                data.TimeStampRelativeMSec, tags.GetValueOrDefault("http.request.method", string.Empty), route));
        }
    }

    private void OnEventCounters(TraceEvent data)
    {
        if (data.EventName != "EventCounters" || CounterFields(data) is not { } payload
            || !payload.TryGetValue("Name", out object? name) || name as string != ZeroCodeProviders.AllocRateCounter
            || !payload.TryGetValue("Increment", out object? increment))
        {
            return;
        }

        EventsDecoded++;
        long bytes = (long)Convert.ToDouble(increment, CultureInfo.InvariantCulture);
        _totals.OnReading(new ProcessAllocatedEvent(data.TimeStampRelativeMSec, AllocatedCounterKind.EventCounter, bytes));
    }

    /// <summary>
    /// The fields of an <c>EventCounters</c> event (Name, Increment, ...). Over EventPipe its one field comes with an
    /// empty name, a struct whose member <c>Payload</c> holds them (the way dotnet-counters reads it): on .NET 8.0.31 with
    /// TraceEvent 4.0.0 <c>PayloadByName("Payload")</c> finds nothing, and no process total was ever read on .NET 8.
    /// </summary>
    private static IDictionary<string, object>? CounterFields(TraceEvent data)
    {
        object? value = data.PayloadByName("Payload") ?? (data.PayloadNames.Length == 1 ? data.PayloadValue(0) : null);
        if (value is not IDictionary<string, object> fields)
        {
            return null;
        }

        return fields.TryGetValue("Payload", out object? inner) && inner is IDictionary<string, object> nested ? nested : fields;
    }

    private static string Text(TraceEvent data, string field) => data.PayloadByName(field) switch
    {
        string s => s,
        null => string.Empty,
        IEnumerable and not string => string.Empty,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
