using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Replay;

/// <summary>
/// Keeps the raw session stream in a <c>.nettrace</c> file while it is parsed live: a read-only stream that copies every
/// byte the parser reads. A failing write (full disk) stops the copy, never the session; <see cref="Error"/> says why.
/// </summary>
public sealed class RecordingStream : Stream
{
    private readonly Stream _source;
    private readonly FileStream _file;
    private bool _closed;

    private RecordingStream(Stream source, FileStream file, string path)
    {
        _source = source;
        _file = file;
        Path = path;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Bytes written to the file.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Why the file stopped being written, when it did.</summary>
    public string? Error { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Fails with <see cref="ProfilerErrorKind.OutputFailed"/> when <paramref name="path"/> cannot be a trace file; creates nothing.</summary>
    public static void CheckDestination(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full) || (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.Device)))
        {
            throw new ProfilerException(ProfilerErrorKind.OutputFailed, $"cannot save the trace to '{full}': not a regular file.");
        }

        if (!Directory.Exists(System.IO.Path.GetDirectoryName(full)))
        {
            throw new ProfilerException(ProfilerErrorKind.OutputFailed, $"cannot save the trace to '{full}': its directory does not exist.");
        }
    }

    /// <summary>Creates (or replaces) the file; fails with <see cref="ProfilerErrorKind.OutputFailed"/> before anything is traced.</summary>
    public static FileStream CreateFile(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        CheckDestination(full);

        try
        {
            return new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfilerException(ProfilerErrorKind.OutputFailed, $"cannot save the trace to '{full}': {e.Message}", e);
        }
    }

    /// <summary>Wraps <paramref name="source"/> so that what is read from it is also written to <paramref name="file"/>.</summary>
    public static RecordingStream Tee(Stream source, FileStream file) => new(source, file, file.Name);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _source.Read(buffer);
        Copy(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Copy(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Flushes and closes the file (the session stream stays with its owner).</summary>
    public void Complete()
    {
        lock (_file)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                _file.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error = e.Message;
            }
            finally
            {
                _closed = true;
                _file.Dispose();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }

    private void Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        lock (_file)
        {
            if (_closed)
            {
                return;
            }

            try
            {
                _file.Write(bytes);
                BytesWritten += bytes.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Error = e.Message;
                _closed = true;
                _file.Dispose();
            }
        }
    }
}
