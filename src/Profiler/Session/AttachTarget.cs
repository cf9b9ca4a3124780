using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>Resolves a process for attach and turns each way it can fail into one clear <see cref="ProfilerException"/>.</summary>
public static class AttachTarget
{
    public static TargetProcess Resolve(int? processId, string? name)
    {
        if (processId is null == name is null)
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, "Give exactly one of a process id (-p|--process-id, or the <pid> argument) and a name (-n|--name).");
        }

        if (name is not null)
        {
            return TargetProcess.FindByName(name);
        }

        int pid = processId!.Value;
        if (pid <= 0)
        {
            throw new ProfilerException(ProfilerErrorKind.NoSuchProcess, $"No process has id {pid}: process ids are positive.");
        }

        return TargetProcess.TryDescribe(pid)
            ?? throw new ProfilerException(ProfilerErrorKind.NoSuchProcess, $"No process has id {pid}.");
    }

    /// <summary>Starts the EventPipe session, mapping the transport's exceptions to the user's situation.</summary>
    public static EventPipeSession StartSession(DiagnosticsClient client, TargetProcess target, EventPipeSessionConfiguration configuration) =>
        StartSession(target, () => client.StartEventPipeSession(configuration));

    /// <summary>Runs <paramref name="start"/>, mapping the transport's exceptions to the user's situation (a seam for tests).</summary>
    public static T StartSession<T>(TargetProcess target, Func<T> start)
    {
        try
        {
            return start();
        }
        catch (UnauthorizedAccessException e)
        {
            throw PermissionDenied(target, e);
        }
        catch (ServerNotAvailableException e)
        {
            throw Explain(target, e);
        }
        catch (DiagnosticsClientException e)
        {
            // The runtime answered, so it is .NET and reachable: it refused what was asked (UnsupportedCommandException,
            // ServerErrorException), as a runtime too old for the command does.
            throw Refused(target, e);
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AccessDenied })
            {
                throw PermissionDenied(target, e);
            }

            throw Explain(target, e);
        }
    }

    /// <summary>The one line for a session the runtime refused.</summary>
    public static ProfilerException Refused(TargetProcess target, Exception e) =>
        new(ProfilerErrorKind.SessionRefused, $"Process {target.ProcessId} ({target.Name}, .NET {target.RuntimeVersion ?? "of unknown version"}) refused the tracing session ({e.Message.TrimEnd('.')}): .NET 8 or later is needed.", e);

    private static ProfilerException PermissionDenied(TargetProcess target, Exception e) =>
        new(ProfilerErrorKind.PermissionDenied, Environment.IsPrivilegedProcess
            ? $"Permission denied connecting to process {target.ProcessId} ({target.Name}), although running as root: a sandbox (SELinux, AppArmor, seccomp) or another mount namespace forbids the connection."
            : $"Permission denied connecting to process {target.ProcessId} ({target.Name}): run as the same user as the target (or as root).", e);

    private static ProfilerException Explain(TargetProcess target, Exception e)
    {
        if (TargetProcess.TryDescribe(target.ProcessId) is null)
        {
            return new ProfilerException(ProfilerErrorKind.TargetExited, $"Process {target.ProcessId} exited before the session started.", e);
        }

        return TargetProcess.HasCoreClr(target.ProcessId) switch
        {
            true => new ProfilerException(ProfilerErrorKind.DiagnosticsDisabled, $"Process {target.ProcessId} ({target.Name}) is .NET but has no diagnostics endpoint: it runs with DOTNET_EnableDiagnostics=0, or in another container or TMPDIR.", e),
            false => new ProfilerException(ProfilerErrorKind.NotDotNet, $"Process {target.ProcessId} ({target.Name}) is not a .NET process (no CoreCLR loaded).", e),
            null => PermissionDenied(target, e),
        };
    }
}
