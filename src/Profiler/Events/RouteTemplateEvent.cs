namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// ASP.NET Core reported a route template: a <c>http.server.request.duration</c> histogram of the
/// <c>Microsoft.AspNetCore.Hosting</c> meter (ASP.NET Core 8+) was published with the tags <c>http.request.method</c>
/// and <c>http.route</c>, so requests of that method were routed to that template during the interval. Both come from
/// the target: untrusted text.
/// </summary>
public readonly record struct RouteTemplateEvent(double TimestampMs, string Method, string Route);
