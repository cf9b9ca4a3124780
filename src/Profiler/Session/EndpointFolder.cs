namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// The folder where every .NET runtime publishes its default diagnostics endpoint: the temp folder (TMPDIR) on Linux
/// and macOS. Where it does not exist, no runtime started from this environment opens an endpoint (it runs on without
/// one), and listing the folder fails deep in the client library: say so once, clearly, before anything starts.
/// </summary>
public static class EndpointFolder
{
    /// <exception cref="ProfilerException">DiagnosticsDisabled when the folder does not exist.</exception>
    public static void EnsureExists()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // endpoints are named pipes there, not files in a folder
        }

        string path = Path.GetTempPath();
        if (!Directory.Exists(path))
        {
            throw new ProfilerException(ProfilerErrorKind.DiagnosticsDisabled, $"The temp folder {path} (TMPDIR) does not exist: .NET runtimes publish their diagnostics endpoints there, so none can be reached. Set TMPDIR to an existing folder (the targets' own).");
        }
    }
}
