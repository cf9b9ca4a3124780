using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Finds the runtimes a launched command starts. The command runs with <c>DOTNET_DefaultDiagnosticPortSuspend=1</c>,
/// so every .NET process it starts, however deep in its process tree, pauses before <c>Main</c> on its own default
/// diagnostics endpoint; and with a marker variable, which every descendant inherits, so that they can be told
/// from other .NET processes on the machine without relying on parent links (which break when a parent exits).
/// </summary>
internal sealed class RuntimeWatcher(CommandTree tree)
{
    private readonly HashSet<int> _seen = [];

    /// <summary>Runtimes of the command that appeared since the last call.</summary>
    public List<PausedRuntime> Poll()
    {
        var found = new List<PausedRuntime>();
        foreach (int pid in DiagnosticsClient.GetPublishedProcesses().Distinct())
        {
            if (pid == Environment.ProcessId || _seen.Contains(pid))
            {
                continue;
            }

            switch (IsOurs(pid))
            {
                case true:
                    _seen.Add(pid);
                    found.Add(new PausedRuntime(ProcessSelection.Describe(pid, ProcessCommandLine.Read(pid)), () => new DiagnosticsClient(pid).ResumeRuntime()));
                    break;
                case false:
                    _seen.Add(pid);
                    break;
                case null:
                    break; // not readable yet (the endpoint appeared before the runtime answers): try again next poll
            }
        }

        return found;
    }

    private bool? IsOurs(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // Cheaper than an IPC round trip, and readable for processes of the same user.
            bool? ours = tree.Contains(pid);
            if (ours != true)
            {
                return ours;
            }

            // A runtime killed without cleaning up leaves its endpoint socket behind, and its pid may be reused by a
            // process of the command that is not .NET (seen in CI: `run -- sleep 60` took a stale socket for a runtime,
            // so the connect timeout never fired). The runtime maps libcoreclr before it opens its endpoint; until a
            // process has it, ask again at the next poll rather than deciding.
            return TargetProcess.HasCoreClr(pid) == true ? true : null;
        }

        try
        {
            var environment = new DiagnosticsClient(pid).GetProcessEnvironment();
            return environment.TryGetValue(tree.MarkerName, out string? value) && value == tree.MarkerValue;
        }
        catch (Exception e) when (e is ServerNotAvailableException or TimeoutException or DiagnosticsClientException or IOException)
        {
            return null;
        }
    }
}
