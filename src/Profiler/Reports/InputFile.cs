using System.Text;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// Reads an input file (a report, a baseline, a budget) whole, up to <see cref="MaxBytes"/>: the gate holds its inputs
/// in memory, so a larger one is refused with one line rather than ending in <see cref="OutOfMemoryException"/>.
/// Every failure is a <see cref="ProfilerException"/> of kind <see cref="ProfilerErrorKind.Usage"/>.
/// </summary>
public static class InputFile
{
    /// <summary>256 MB: a report of the tool's own making stays far below it (docs/ci-gate.md).</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    public static string ReadAllText(string path, long maxBytes = MaxBytes)
    {
        string full = Path.GetFullPath(path);
        try
        {
            if (Directory.Exists(full))
            {
                throw Invalid(full, "it is a directory, not a file");
            }

            if (!File.Exists(full))
            {
                throw Invalid(full, "no such file");
            }

            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            if (stream.CanSeek && stream.Length > maxBytes)
            {
                throw TooLarge(full, $" (it is {ByteSize.Format(stream.Length)})", maxBytes);
            }

            // Read with a cap as well: a pipe or a file that grows has no trustworthy length.
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(full, string.Empty, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(full, e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.'));
        }
    }

    private static ProfilerException TooLarge(string full, string size, long max) =>
        Invalid(full, $"larger than the {ByteSize.Format(max)} this tool reads as an input{size}");

    private static ProfilerException Invalid(string full, string reason) => new(ProfilerErrorKind.Usage, $"{full}: {reason}.");
}
