using System.Text;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// Where <c>-o</c> writes, checked before a session starts (an hour of tracing must not be lost to a typo) and written
/// without touching anything but the destination:
/// <list type="bullet">
/// <item>a new or existing regular file named directly: atomically, through a temp file next to it and a rename;</item>
/// <item>a character device or FIFO (<c>/dev/stdout</c>, <c>/dev/null</c>, a named pipe), or any file reached through a
/// symbolic link: written straight into, never renamed over, so the device, pipe or link stays what it is;</item>
/// <item>a directory, a socket or a block device: refused.</item>
/// </list>
/// Every failure is a <see cref="ProfilerException"/> of kind <see cref="ProfilerErrorKind.OutputFailed"/>.
/// </summary>
public static class OutputFile
{
    /// <summary>
    /// The tool's own standard output or error when <paramref name="path"/> names it (<c>/dev/stdout</c>,
    /// <c>/dev/fd/2</c>, <c>/proc/self/fd/1</c>): those are written through the descriptor the tool already has, not
    /// reopened by path, which a pipe or terminal owned by another user would refuse.
    /// </summary>
    public static StandardStream StandardStreamOf(string path)
    {
        if (OperatingSystem.IsWindows() || string.IsNullOrWhiteSpace(path))
        {
            return StandardStream.None;
        }

        string pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Path.GetFullPath(path) switch
        {
            "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" => StandardStream.Output,
            "/dev/stderr" or "/dev/fd/2" or "/proc/self/fd/2" => StandardStream.Error,
            var p when p == $"/proc/{pid}/fd/1" => StandardStream.Output,
            var p when p == $"/proc/{pid}/fd/2" => StandardStream.Error,
            _ => StandardStream.None,
        };
    }

    /// <summary>Fails now, with one line, if <paramref name="path"/> could not be written later.</summary>
    public static void Check(string path)
    {
        string full = FullPath(path);
        if (StandardStreamOf(full) != StandardStream.None)
        {
            return;
        }

        switch (Classify(full))
        {
            case WriteMode.Straight:
                if (!CanOpenForWriting(full))
                {
                    throw Failed(full, "permission denied");
                }

                break;
            case WriteMode.Atomic:
                ProbeDirectory(full);
                break;
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> as described on the type.</summary>
    public static void Write(string path, string content)
    {
        string full = FullPath(path);
        try
        {
            if (Classify(full) == WriteMode.Straight)
            {
                WriteStraight(full, content);
            }
            else
            {
                AtomicFile.WriteAllText(full, content);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, Reason(e), e);
        }
    }

    /// <summary>Whether two paths name the same file (after following links), e.g. an input and an output.</summary>
    public static bool SameFile(string a, string b)
    {
        static string Resolve(string p)
        {
            string full = Path.GetFullPath(p);
            try
            {
                return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return full;
            }
        }

        return string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }

    private enum WriteMode
    {
        Atomic,
        Straight,
    }

    private static string FullPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ProfilerException(ProfilerErrorKind.OutputFailed, "the output path is empty.");
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ProfilerException(ProfilerErrorKind.OutputFailed, $"cannot write '{path}': not a valid path.", e);
        }
    }

    private static WriteMode Classify(string full)
    {
        bool link = FileKinds.IsSymbolicLink(full);
        return FileKinds.Of(full) switch
        {
            FileKind.Directory => throw Failed(full, "it is a directory; give a file name"),
            FileKind.Socket => throw Failed(full, "it is a socket"),
            FileKind.BlockDevice => throw Failed(full, "it is a block device; a report is not written onto a disk"),
            FileKind.Missing when link => throw Failed(full, "it is a symbolic link to a file that does not exist"),
            FileKind.CharacterDevice or FileKind.Fifo => WriteMode.Straight,
            _ when link => WriteMode.Straight,
            _ => WriteMode.Atomic,
        };
    }

    private static void WriteStraight(string full, string content)
    {
        // FileMode.Open: devices and pipes cannot be created or truncated; a regular file behind a link is truncated below.
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        if (stream.CanSeek && FileKinds.Of(full) == FileKind.RegularFile)
        {
            stream.SetLength(0);
        }

        byte[] bytes = new UTF8Encoding(false).GetBytes(content);
        stream.Write(bytes);
        stream.Flush();
    }

    private static void ProbeDirectory(string full)
    {
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory))
        {
            throw Failed(full, $"the directory {directory} does not exist");
        }

        // The same temp file the final write uses, created and removed at once: proves the rename can happen.
        string probe = AtomicFile.TempPathFor(full);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failed(full, Reason(e), e);
        }
        finally
        {
            AtomicFile.TryDelete(probe);
        }
    }

    private static bool CanOpenForWriting(string full)
    {
        // Opening a FIFO for writing blocks until a reader comes, so only its permission bits are checked.
        if (FileKinds.Of(full) == FileKind.Fifo)
        {
            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(full) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
        }

        try
        {
            using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1))
            {
                return true;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        DirectoryNotFoundException => "its directory does not exist",
        _ when e.HResult == 28 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) => "no space left on the device",
        _ => e.Message.TrimEnd('.'),
    };

    private static ProfilerException Failed(string full, string reason, Exception? inner = null) =>
        new(ProfilerErrorKind.OutputFailed, $"cannot write {full}: {reason}.", inner);
}
