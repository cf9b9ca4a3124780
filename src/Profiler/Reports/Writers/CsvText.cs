namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>CSV cells (RFC 4180) that a spreadsheet shows as text, never runs as a formula (OWASP CSV injection).</summary>
public static class CsvText
{
    /// <summary>
    /// A text cell: a leading <c>= + - @</c>, tab or CR gets a leading apostrophe (the spreadsheet then shows the text
    /// as it was, minus the apostrophe), and the cell is quoted when it holds a comma, quote or line break.
    /// </summary>
    public static string Text(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return Quote(value);
    }

    /// <summary>A number or a fixed token: quoted only if needed, never prefixed.</summary>
    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
