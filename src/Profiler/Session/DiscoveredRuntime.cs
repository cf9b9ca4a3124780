namespace TrackingProfiler.Profiler.Session;

/// <summary>A runtime started by the launched command, paused before its <c>Main</c>.</summary>
/// <param name="Name">The main assembly's name (for <c>dotnet app.dll</c>) or the executable's, without extension.</param>
public sealed record DiscoveredRuntime(int ProcessId, string Name, string CommandLine, bool IsSdkProcess);
