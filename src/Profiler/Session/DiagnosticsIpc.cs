using System.Buffers.Binary;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Text;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// The few diagnostics IPC commands the client library keeps internal, spoken directly over the documented protocol
/// (dotnet/diagnostics documentation/design-docs/ipc-protocol.md): a 20-byte header (magic <c>DOTNET_IPC_V1\0</c>,
/// uint16 total size, command set, command id, reserved uint16), then the payload, little-endian; strings are a
/// uint32 count of UTF-16 code units (the terminating NUL included) and the code units.
/// </summary>
public static class DiagnosticsIpc
{
    private const int HeaderSize = 20;
    private const byte ProcessCommandSet = 0x04;
    private const byte ResumeRuntimeCommand = 0x01;
    private const byte ProcessInfo2Command = 0x04;
    private const byte ServerCommandSet = 0xFF;
    private const byte OkResponse = 0x00;
    private static readonly byte[] s_magic = "DOTNET_IPC_V1\0"u8.ToArray();
    private static readonly byte[] s_advertiseMagic = "ADVR_V1\0"u8.ToArray();

    /// <summary>The path of a process's default diagnostics endpoint (a socket in the temp folder, or a pipe name on Windows), or null when none is published.</summary>
    public static string? FindDefaultEndpoint(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            return $"dotnet-diagnostic-{pid}";
        }

        try
        {
            // dotnet-diagnostic-<pid>-<disambiguation key>-socket; a stale one of a reused pid may lie next to it: newest wins.
            return new DirectoryInfo(Path.GetTempPath())
                .EnumerateFiles($"dotnet-diagnostic-{pid}-*-socket")
                .OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => f.FullName)
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Asks a runtime listening at <paramref name="endpoint"/> who it is (ProcessInfo2: .NET 6 and later).</summary>
    public static async Task<RuntimeInfo> GetProcessInfoAsync(string endpoint, CancellationToken cancel)
    {
        await using var stream = await ConnectAsync(endpoint, cancel).ConfigureAwait(false);
        return await GetProcessInfoAsync(stream, cancel).ConfigureAwait(false);
    }

    /// <summary>Sends ProcessInfo2 on an open connection and parses the answer.</summary>
    public static async Task<RuntimeInfo> GetProcessInfoAsync(Stream stream, CancellationToken cancel)
    {
        byte[] payload = await SendAsync(stream, ProcessCommandSet, ProcessInfo2Command, cancel).ConfigureAwait(false);
        return ParseProcessInfo2(payload);
    }

    /// <summary>Sends ResumeRuntime on an open connection (the one a paused runtime opened to a listening tool).</summary>
    public static async Task ResumeRuntimeAsync(Stream stream, CancellationToken cancel) =>
        await SendAsync(stream, ProcessCommandSet, ResumeRuntimeCommand, cancel).ConfigureAwait(false);

    /// <summary>Reads the advertisement a runtime sends first on a connection it opened to a listening port: its process id.</summary>
    public static async Task<int> ReadAdvertiseAsync(Stream stream, CancellationToken cancel)
    {
        // "ADVR_V1\0", runtime instance cookie (16 bytes), process id (uint64), reserved (uint16).
        byte[] advertise = new byte[s_advertiseMagic.Length + 16 + 8 + 2];
        await stream.ReadExactlyAsync(advertise, cancel).ConfigureAwait(false);
        if (!advertise.AsSpan(0, s_advertiseMagic.Length).SequenceEqual(s_advertiseMagic))
        {
            throw new InvalidDataException("The connection did not start with a runtime's advertisement.");
        }

        return checked((int)BinaryPrimitives.ReadUInt64LittleEndian(advertise.AsSpan(s_advertiseMagic.Length + 16)));
    }

    public static RuntimeInfo ParseProcessInfo2(ReadOnlySpan<byte> payload)
    {
        int at = 0;
        ulong pid = BinaryPrimitives.ReadUInt64LittleEndian(payload[at..]);
        at += 8 + 16; // the runtime instance cookie is not needed
        string? commandLine = ReadString(payload, ref at);
        _ = ReadString(payload, ref at); // operating system
        _ = ReadString(payload, ref at); // architecture
        string? entryAssembly = ReadString(payload, ref at);
        string? version = ReadString(payload, ref at);
        return new RuntimeInfo(checked((int)pid), commandLine, entryAssembly, version);
    }

    private static string? ReadString(ReadOnlySpan<byte> payload, ref int at)
    {
        int units = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(payload[at..]));
        at += 4;
        if (units == 0)
        {
            return null;
        }

        string text = Encoding.Unicode.GetString(payload.Slice(at, units * 2));
        at += units * 2;
        return text.TrimEnd('\0');
    }

    private static async Task<Stream> ConnectAsync(string endpoint, CancellationToken cancel)
    {
        if (OperatingSystem.IsWindows())
        {
            var pipe = new NamedPipeClientStream(".", endpoint, PipeDirection.InOut, PipeOptions.Asynchronous);
            try
            {
                await pipe.ConnectAsync(cancel).ConfigureAwait(false);
                return pipe;
            }
            catch
            {
                await pipe.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(endpoint), cancel).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<byte[]> SendAsync(Stream stream, byte commandSet, byte commandId, CancellationToken cancel)
    {
        byte[] header = new byte[HeaderSize];
        s_magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(14), HeaderSize);
        header[16] = commandSet;
        header[17] = commandId;
        await stream.WriteAsync(header, cancel).ConfigureAwait(false);
        await stream.FlushAsync(cancel).ConfigureAwait(false);

        byte[] response = new byte[HeaderSize];
        await stream.ReadExactlyAsync(response, cancel).ConfigureAwait(false);
        if (!response.AsSpan(0, s_magic.Length).SequenceEqual(s_magic))
        {
            throw new InvalidDataException("The diagnostics endpoint answered with something other than an IPC message.");
        }

        int size = BinaryPrimitives.ReadUInt16LittleEndian(response.AsSpan(14));
        byte[] payload = new byte[Math.Max(0, size - HeaderSize)];
        await stream.ReadExactlyAsync(payload, cancel).ConfigureAwait(false);
        if (response[16] != ServerCommandSet || response[17] != OkResponse)
        {
            uint hresult = payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(payload) : 0;
            throw new NotSupportedException($"The runtime refused diagnostics command {commandSet:X2}/{commandId:X2} (0x{hresult:X8}).");
        }

        return payload;
    }
}
