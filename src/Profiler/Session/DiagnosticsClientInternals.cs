using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Microsoft.Diagnostics.NETCore.Client keeps <c>GetProcessInfo</c> internal. Where the tool holds a socket of its
/// own (a runtime's listening endpoint) it sends ProcessInfo2 itself (<see cref="DiagnosticsIpc"/>); but over a
/// connection the runtime opened to a port the library listens on, only the library's client can send a command.
/// There, and only there, this asks the library's internal method, and gives null if a version of the library
/// no longer has it (the session still works; the process id and runtime version are then unknown).
/// </summary>
internal static class DiagnosticsClientInternals
{
    public static RuntimeInfo? TryGetProcessInfo(DiagnosticsClient client)
    {
        try
        {
            var method = typeof(DiagnosticsClient).GetMethod("TryGetProcessInfo2", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)
                ?? typeof(DiagnosticsClient).GetMethod("GetProcessInfo", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes);
            object? info = method?.Invoke(client, null);
            if (info is null)
            {
                return null;
            }

            T? Read<T>(string name) => info.GetType().GetProperty(name)?.GetValue(info) is T value ? value : default;
            return new RuntimeInfo(checked((int)Read<ulong>("ProcessId")), Read<string>("CommandLine"), Read<string>("ManagedEntrypointAssemblyName"), Read<string>("ClrProductVersionString"));
        }
        catch (Exception e) when (e is TargetInvocationException or MemberAccessException or OverflowException or InvalidOperationException)
        {
            return null;
        }
    }
}
