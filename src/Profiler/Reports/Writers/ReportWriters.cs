namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>The writer of each <see cref="ReportFormat"/>.</summary>
public static class ReportWriters
{
    public static IReportWriter For(ReportFormat format)
    {
        // No default arm, on purpose: a format added to the enum without a writer is a compile error (CS8509), not
        // a silent table. CS8524 only concerns values outside the enum, which are rejected first.
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "not a report format");
        }

#pragma warning disable CS8524
        return format switch
        {
            ReportFormat.Table => new TableWriter(),
            ReportFormat.Json => new JsonWriter(),
            ReportFormat.Markdown => new MarkdownWriter(),
            ReportFormat.Csv => new CsvWriter(),
            ReportFormat.Speedscope => new SpeedscopeWriter(),
            ReportFormat.Pprof => new PprofWriter(),
            ReportFormat.Html => new HtmlWriter(),
        };
#pragma warning restore CS8524
    }

    /// <summary>The report as text, for the console and tests; binary formats have no text form.</summary>
    public static string Render(AllocationReport report, ReportFormat format)
    {
        var writer = For(format);
        if (!writer.IsText)
        {
            throw new ArgumentException($"{format} is a binary format: write it to a file.", nameof(format));
        }

        using var buffer = new MemoryStream();
        writer.Write(report, buffer);
        return Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>UTF-8 without a byte order mark: what every text format is written in.</summary>
    public static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes text to a stream in UTF-8 without closing it.</summary>
    public static void WriteText(Stream output, string text)
    {
        byte[] bytes = Utf8.GetBytes(text);
        output.Write(bytes, 0, bytes.Length);
    }
}
