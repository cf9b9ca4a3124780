using System.Diagnostics;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// A process's command line as the argument list it was started with. On Linux from <c>/proc/&lt;pid&gt;/cmdline</c>
/// (NUL-separated, so arguments with spaces stay whole); elsewhere only the executable is known.
/// </summary>
public static class ProcessCommandLine
{
    /// <summary>The arguments (the program first), or an empty list when the process is gone or unreadable.</summary>
    public static IReadOnlyList<string> Read(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return Split(File.ReadAllText($"/proc/{pid}/cmdline"));
            }

            using var process = Process.GetProcessById(pid);
            return [process.MainModule?.FileName ?? process.ProcessName];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>Splits the raw NUL-separated form; a trailing NUL ends the last argument, it does not start another.</summary>
    public static IReadOnlyList<string> Split(string raw)
    {
        if (raw.Length == 0)
        {
            return [];
        }

        string trimmed = raw.EndsWith('\0') ? raw[..^1] : raw;
        return trimmed.Split('\0');
    }

    /// <summary>The arguments joined for display (not for re-splitting: an argument may hold spaces).</summary>
    public static string? Display(IReadOnlyList<string> arguments) => arguments.Count == 0 ? null : string.Join(' ', arguments);
}
