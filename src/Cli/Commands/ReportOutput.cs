using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// Where a command's <c>-o</c> goes: the console's own writers for <c>/dev/stdout</c> and <c>/dev/stderr</c>, else
/// <see cref="OutputFile"/> (atomic for regular files, straight into devices and pipes; failures exit 12).
/// </summary>
internal static class ReportOutput
{
    /// <summary>Fails before any work starts if <paramref name="output"/> could not be written at the end.</summary>
    public static void Check(FileInfo? output)
    {
        if (output is not null)
        {
            OutputFile.Check(output.FullName);
        }
    }

    /// <summary>Writes <paramref name="content"/>; true when it went to the console's standard output.</summary>
    public static bool Write(IConsole console, FileInfo output, string content)
    {
        switch (OutputFile.StandardStreamOf(output.FullName))
        {
            case StandardStream.Output:
                console.Out.Write(content);
                console.Out.Flush();
                return true;
            case StandardStream.Error:
                console.Error.Write(content);
                console.Error.Flush();
                return false;
            default:
                OutputFile.Write(output.FullName, content);
                return false;
        }
    }
}
