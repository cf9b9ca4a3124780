namespace TrackingProfiler.Profiler.Events;

/// <summary>
/// A <c>System.Diagnostics.Activity</c> of an <c>ActivitySource</c> started (<c>Microsoft-Diagnostics-DiagnosticSource</c>
/// <c>Activity/Start</c>), with the EventSource activity id created for it. Names come from the target: untrusted text.
/// </summary>
public readonly record struct ActivityStartEvent(double TimestampMs, int ThreadId, Guid ActivityId, string SourceName, string OperationName);
