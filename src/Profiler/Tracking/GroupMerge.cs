namespace TrackingProfiler.Profiler.Tracking;

/// <summary>
/// Group <see cref="FromId"/> turned out to be part of group <see cref="IntoId"/> (already registered): a request group
/// named by its folded path before its route template was known. What was attributed to <see cref="FromId"/> belongs to
/// <see cref="IntoId"/>, and from now on everything (samples, frees) arrives with <see cref="IntoId"/>.
/// </summary>
public readonly record struct GroupMerge(int FromId, int IntoId, double TimestampMs);
