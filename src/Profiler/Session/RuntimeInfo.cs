namespace TrackingProfiler.Profiler.Session;

/// <summary>What a runtime says about itself over its diagnostics endpoint (ProcessInfo2).</summary>
/// <param name="ProductVersion">The CLR product version, e.g. <c>8.0.31+3b0e3a8…</c> (may carry a prerelease label).</param>
public sealed record RuntimeInfo(int ProcessId, string? CommandLine, string? EntryAssembly, string? ProductVersion)
{
    /// <summary>The version without its build metadata (<c>8.0.31</c>), or null when the runtime did not say.</summary>
    public string? Version => ProductVersion?.Split('+')[0] is { Length: > 0 } v ? v : null;

    /// <summary>Reads it from a process's default endpoint; null when that endpoint is not reachable or does not answer.</summary>
    public static RuntimeInfo? TryRead(int pid, TimeSpan? timeout = null)
    {
        if (DiagnosticsIpc.FindDefaultEndpoint(pid) is not { } endpoint)
        {
            return null;
        }

        try
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(3));
            return DiagnosticsIpc.GetProcessInfoAsync(endpoint, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or OperationCanceledException or InvalidDataException or NotSupportedException or OverflowException or ArgumentOutOfRangeException or TimeoutException)
        {
            return null;
        }
    }
}
