namespace TrackingProfiler.Profiler.Session;

/// <summary>A runtime of a launched command, paused before <c>Main</c>, and the way to let it run.</summary>
internal sealed record PausedRuntime(DiscoveredRuntime Runtime, Action Resume);
