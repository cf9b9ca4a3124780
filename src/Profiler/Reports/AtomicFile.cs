using System.Text;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// Writes a regular file so that readers see the old content or the new, never a torn one: a temp file in the same
/// directory, then a rename. The temp file is removed when anything fails. Only for regular files: callers go
/// through <see cref="OutputFile"/>, which never renames over a device, a pipe or a link.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content)
    {
        string full = Path.GetFullPath(path);
        string temp = TempPathFor(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>A hidden, unique name next to <paramref name="full"/>: same file system, so the rename is atomic.</summary>
    public static string TempPathFor(string full) =>
        Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
