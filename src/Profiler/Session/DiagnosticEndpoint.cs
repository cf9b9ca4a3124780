using System.Diagnostics;

namespace TrackingProfiler.Profiler.Session;

/// <summary>Waits for a started process to open its default diagnostics endpoint.</summary>
public static class DiagnosticEndpoint
{
    /// <summary>
    /// Completes when <paramref name="process"/>'s runtime answers on its default endpoint, with what it says about
    /// itself. Woken by the endpoint's socket appearing in the temp folder (or the process exiting), not by polling.
    /// </summary>
    /// <exception cref="ProfilerException">LaunchFailed when the process exits first; NeverConnected on timeout.</exception>
    public static async Task<RuntimeInfo> WaitAsync(Process process, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        using var changed = new SemaphoreSlim(0);
        using var watcher = WatchTempFolder(process.Id, changed);
        process.EnableRaisingEvents = true;
        void OnExited(object? sender, EventArgs e) => changed.Release();
        process.Exited += OnExited;
        try
        {
            while (true)
            {
                if (DiagnosticsIpc.FindDefaultEndpoint(process.Id) is { } endpoint && await TryAskAsync(endpoint, deadline.Token).ConfigureAwait(false) is { } info)
                {
                    return info;
                }

                if (process.HasExited)
                {
                    throw new ProfilerException(ProfilerErrorKind.LaunchFailed, $"Process {process.Id} exited with code {process.ExitCode} before opening its diagnostics endpoint.");
                }

                // The socket is bound a moment before the runtime listens on it: with the file there, ask again shortly.
                TimeSpan wait = watcher is null || DiagnosticsIpc.FindDefaultEndpoint(process.Id) is not null ? TimeSpan.FromMilliseconds(10) : Timeout.InfiniteTimeSpan;
                try
                {
                    await changed.WaitAsync(wait, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    throw new ProfilerException(ProfilerErrorKind.NeverConnected, $"Process {process.Id} opened no diagnostics endpoint within {timeout.TotalSeconds:0} s (not .NET, or DOTNET_EnableDiagnostics=0).");
                }
            }
        }
        finally
        {
            process.Exited -= OnExited;
        }
    }

    private static FileSystemWatcher? WatchTempFolder(int pid, SemaphoreSlim changed)
    {
        if (OperatingSystem.IsWindows())
        {
            return null; // named pipes are not files: fall back to asking every 10 ms
        }

        var watcher = new FileSystemWatcher(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket");
        watcher.Created += (_, _) => changed.Release();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private static async Task<RuntimeInfo?> TryAskAsync(string endpoint, CancellationToken cancel)
    {
        try
        {
            return await DiagnosticsIpc.GetProcessInfoAsync(endpoint, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or InvalidDataException or TimeoutException)
        {
            return null;
        }
    }
}
