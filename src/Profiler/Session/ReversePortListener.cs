using System.Net.Sockets;
using System.Threading.Channels;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// <c>run --diagnostic-port</c>: a named port the tool listens on. The command starts with
/// <c>DOTNET_DiagnosticPorts=&lt;path&gt;</c>, so every runtime of its tree connects here and pauses before <c>Main</c>
/// until it is sent ResumeRuntime on that connection. The runtime says who it is first (an advertisement with its
/// process id); after each command it reconnects, and those later connections are kept open, idle, so that it
/// waits quietly instead of retrying. Accepts every runtime that connects: none is left paused.
/// </summary>
internal sealed class ReversePortListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _path;
    private readonly Channel<(int Pid, NetworkStream Stream)> _arrived = Channel.CreateUnbounded<(int, NetworkStream)>();
    private readonly HashSet<int> _seen = [];
    private readonly List<NetworkStream> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private ReversePortListener(Socket socket, string path)
    {
        _socket = socket;
        _path = path;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public static ReversePortListener Start(DiagnosticPort port)
    {
        if (!port.ToolListens)
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, "run --diagnostic-port needs a port the tool listens on (<path> or <path>,listen): the runtimes of the command connect to it.");
        }

        if (File.Exists(port.Path) || Directory.Exists(port.Path))
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, $"--diagnostic-port {port.Path} already exists: give a path where the tool can create its socket.");
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(port.Path));
            socket.Listen(255);
            return new ReversePortListener(socket, port.Path);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ProfilerException(ProfilerErrorKind.Usage, $"Could not listen on diagnostic port {port.Path}: {e.Message}", e);
        }
    }

    /// <summary>Runtimes that connected for the first time since the last call; each resumed through its own connection.</summary>
    public List<PausedRuntime> Poll()
    {
        var found = new List<PausedRuntime>();
        while (_arrived.Reader.TryRead(out var arrival))
        {
            if (!_seen.Add(arrival.Pid))
            {
                _held.Add(arrival.Stream); // a runtime ready for its next command: keep it waiting, quietly
                continue;
            }

            var stream = arrival.Stream;
            var runtime = ProcessSelection.Describe(arrival.Pid, ProcessCommandLine.Read(arrival.Pid));
            found.Add(new PausedRuntime(runtime, () => Resume(stream)));
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        while (_arrived.Reader.TryRead(out var arrival))
        {
            _held.Add(arrival.Stream);
        }

        foreach (var stream in _held)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        _stop.Dispose();
    }

    private static void Resume(NetworkStream stream)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            DiagnosticsIpc.ResumeRuntimeAsync(stream, timeout.Token).GetAwaiter().GetResult();
        }
        finally
        {
            // The runtime closes its side after answering and connects again for the next command.
            stream.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var stream = new NetworkStream(client, ownsSocket: true);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                int pid = await DiagnosticsIpc.ReadAdvertiseAsync(stream, timeout.Token).ConfigureAwait(false);
                _arrived.Writer.TryWrite((pid, stream));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or OverflowException or EndOfStreamException)
            {
                await stream.DisposeAsync().ConfigureAwait(false); // not a runtime, or gone
            }
        }
    }
}
