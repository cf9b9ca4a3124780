namespace TrackingProfiler.Profiler.Events;

/// <summary>A group's name and tags, from <c>GroupRegistered</c> (on registration and in rundown).</summary>
internal readonly record struct GroupRegisteredEvent(double TimestampMs, int ThreadId, int GroupId, string Name, IReadOnlyList<(string Key, string Value)> Tags);
