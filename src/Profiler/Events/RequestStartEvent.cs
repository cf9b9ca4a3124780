namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// An ASP.NET Core request began (<c>Microsoft.AspNetCore.Hosting</c> <c>Request/Start</c>). <paramref name="ActivityId"/>
/// is the EventSource activity id the runtime's ActivityTracker created for it: every allocation sample the request
/// makes afterwards carries this id or one derived from it (nested Start/Stop activities). Method and path come
/// from the target: untrusted text.
/// </summary>
public readonly record struct RequestStartEvent(double TimestampMs, int ThreadId, Guid ActivityId, string Method, string Path);
