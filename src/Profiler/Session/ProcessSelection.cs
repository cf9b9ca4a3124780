namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Which runtimes of a launched command are traced. With names given, exactly the processes with those names.
/// Otherwise every runtime except the .NET SDK's own (the <c>dotnet</c> CLI running a command such as <c>test</c>,
/// MSBuild, the VSTest console, the compiler server): for <c>dotnet test</c> that traces the test hosts, for
/// <c>dotnet app.dll</c> or an apphost the app itself.
/// </summary>
public static class ProcessSelection
{
    public static bool ShouldTrace(DiscoveredRuntime runtime, IReadOnlyList<string> names) =>
        names.Count > 0
            ? names.Any(n => string.Equals(n, runtime.Name, StringComparison.OrdinalIgnoreCase))
            : !runtime.IsSdkProcess;

    /// <summary>Describes a runtime from its command line (arguments separated by NUL or spaces, as /proc gives them).</summary>
    public static DiscoveredRuntime Describe(int pid, IReadOnlyList<string> arguments)
    {
        string commandLine = string.Join(' ', arguments);
        if (arguments.Count == 0)
        {
            return new DiscoveredRuntime(pid, "?", commandLine, IsSdkProcess: false);
        }

        string executable = Path.GetFileNameWithoutExtension(arguments[0]);
        if (!executable.Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            // An apphost: the executable is the app (the SDK ships some too, such as the compiler's csc).
            return new DiscoveredRuntime(pid, executable, commandLine, IsInSdk(arguments[0]));
        }

        // The muxer: `dotnet [exec] [options] app.dll ...` runs an app; `dotnet test|build|run ...` runs the SDK.
        string? dll = arguments.Skip(1).FirstOrDefault(a => a.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        string? first = arguments.Count > 1 ? arguments[1] : null;
        bool runsAnSdkCommand = first is not null && !first.StartsWith('-') && !first.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && first != "exec";
        if (runsAnSdkCommand || dll is null)
        {
            return new DiscoveredRuntime(pid, "dotnet", commandLine, IsSdkProcess: true);
        }

        return new DiscoveredRuntime(pid, Path.GetFileNameWithoutExtension(dll), commandLine, IsInSdk(dll));
    }

    // The SDK's programs live under <dotnet root>/sdk/<version>/.
    private static bool IsInSdk(string path) => path.Replace('\\', '/').Contains("/sdk/", StringComparison.OrdinalIgnoreCase);
}
