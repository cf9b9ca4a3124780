namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The machine form and the input of <c>check</c> (docs/report-format.md): names exactly as the target sent them.</summary>
public sealed class JsonWriter : IReportWriter
{
    public bool IsText => true;

    public void Write(AllocationReport report, Stream output) =>
        ReportWriters.WriteText(output, ReportJson.Serialize(report) + Environment.NewLine);
}
