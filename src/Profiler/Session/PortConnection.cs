using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// <c>attach --diagnostic-port</c>: a runtime reached through a named diagnostic port rather than its default
/// endpoint (containers, sidecars, another TMPDIR). Holds the port open for as long as the session needs it.
/// </summary>
public sealed class PortConnection : IAsyncDisposable
{
    private readonly DiagnosticsClientConnector _connector;

    private PortConnection(DiagnosticsClientConnector connector, TargetProcess target)
    {
        _connector = connector;
        Target = target;
    }

    public DiagnosticsClient Client => _connector.Instance;

    public TargetProcess Target { get; }

    /// <summary>
    /// Listens at the port until a runtime connects (<paramref name="waiting"/> is told how to start one), or connects
    /// to the runtime listening there.
    /// </summary>
    public static async Task<PortConnection> OpenAsync(DiagnosticPort port, Action<string> waiting, CancellationToken cancel)
    {
        if (port.ToolListens)
        {
            if (File.Exists(port.Path) || Directory.Exists(port.Path))
            {
                throw new ProfilerException(ProfilerErrorKind.Usage, $"--diagnostic-port {port.Path} already exists: give a path where the tool can create its socket.");
            }

            waiting($"Waiting for a runtime to connect on {port.Path}: start it with DOTNET_DiagnosticPorts={port.Path}");
        }
        else if (!OperatingSystem.IsWindows() && !File.Exists(port.Path))
        {
            throw new ProfilerException(ProfilerErrorKind.NoSuchProcess, $"No runtime listens on {port.Path} (start it with DOTNET_DiagnosticPorts={port.Path},listen).");
        }

        DiagnosticsClientConnector? connector;
        try
        {
            connector = await DiagnosticsClientConnector.FromDiagnosticPort(port.ConnectorAddress, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or FormatException or PlatformNotSupportedException)
        {
            throw new ProfilerException(port.ToolListens ? ProfilerErrorKind.Usage : ProfilerErrorKind.DiagnosticsDisabled, $"Could not {(port.ToolListens ? "listen" : "connect")} on diagnostic port {port.Path}: {e.Message}", e);
        }

        if (connector is null)
        {
            throw new OperationCanceledException(cancel);
        }

        var info = port.ToolListens
            ? DiagnosticsClientInternals.TryGetProcessInfo(connector.Instance)
            : await TryAskAsync(port.Path, cancel).ConfigureAwait(false);
        var arguments = info?.CommandLine is { } commandLine ? commandLine.Split(' ') : [];
        string name = Path.GetFileNameWithoutExtension(info?.EntryAssembly is { Length: > 0 } entry ? entry : arguments.FirstOrDefault() ?? "?");
        var target = new TargetProcess(info?.ProcessId ?? 0, name, info?.CommandLine, info?.Version);
        return new PortConnection(connector, target);
    }

    /// <summary>Lets a runtime that connected paused (the default for a port it connects to) run; harmless when it runs already.</summary>
    public void Resume()
    {
        try
        {
            Client.ResumeRuntime();
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or DiagnosticsClientException or TimeoutException)
        {
        }
    }

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    private static async Task<RuntimeInfo?> TryAskAsync(string path, CancellationToken cancel)
    {
        try
        {
            return await DiagnosticsIpc.GetProcessInfoAsync(path, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or TimeoutException)
        {
            return null;
        }
    }
}
