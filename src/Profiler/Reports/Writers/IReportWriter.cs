namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>Writes a report in one format to a stream (text formats as UTF-8 without a byte order mark).</summary>
public interface IReportWriter
{
    /// <summary>Whether the output is text that may go to a console (false: binary, needs a file).</summary>
    bool IsText { get; }

    void Write(AllocationReport report, Stream output);
}
