namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// A <c>--diagnostic-port</c> value, read as dotnet-trace reads it: <c>&lt;path&gt;[,listen|,connect]</c>. Without a
/// suffix, or with <c>,listen</c>, the tool listens at the path and a runtime started with
/// <c>DOTNET_DiagnosticPorts=&lt;path&gt;</c> connects to it; with <c>,connect</c> the tool connects to a runtime that
/// listens there (started with <c>DOTNET_DiagnosticPorts=&lt;path&gt;,listen</c>).
/// </summary>
public sealed record DiagnosticPort(string Path, bool ToolListens)
{
    public static DiagnosticPort Parse(string value)
    {
        string[] parts = value.Split(',');
        if (parts.Length > 2 || parts[0].Length == 0)
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, $"--diagnostic-port '{value}' is not <path>, <path>,listen or <path>,connect.");
        }

        bool listens = parts.Length == 1 || parts[1].Equals("listen", StringComparison.OrdinalIgnoreCase)
            ? true
            : parts[1].Equals("connect", StringComparison.OrdinalIgnoreCase)
                ? false
                : throw new ProfilerException(ProfilerErrorKind.Usage, $"--diagnostic-port '{value}': the suffix must be listen or connect, not '{parts[1]}'.");
        string path = parts[0].StartsWith("uds:", StringComparison.OrdinalIgnoreCase) ? parts[0]["uds:".Length..] : parts[0];
        return new DiagnosticPort(OperatingSystem.IsWindows() ? path : System.IO.Path.GetFullPath(path), listens);
    }

    /// <summary>The form the client library's connector takes.</summary>
    public string ConnectorAddress => $"{Path},{(ToolListens ? "listen" : "connect")}";
}
