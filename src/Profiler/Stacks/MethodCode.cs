namespace TrackingProfiler.Profiler.Stacks;

/// <summary>
/// Where one method's native code lives. <paramref name="Size"/> is 0 when only the entry point is known
/// (a ReadyToRun method seen through <c>R2RGetEntryPoint</c>): the code then extends to the next known method.
/// </summary>
public readonly record struct MethodCode(ulong Start, uint Size, string Name, ulong ModuleId);
