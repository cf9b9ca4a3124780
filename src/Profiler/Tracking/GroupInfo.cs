namespace TrackingProfiler.Profiler.Tracking;

/// <summary>A group as the profiler knows it: id, name and tags from <c>GroupRegistered</c>.</summary>
public readonly record struct GroupInfo(int Id, string Name, IReadOnlyList<(string Key, string Value)> Tags);
