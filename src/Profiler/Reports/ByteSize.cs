using System.Globalization;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>Formats and parses byte counts the way people write them (1.5 MB, 512KB). Binary units: 1 KB = 1024 B.</summary>
public static class ByteSize
{
    private static readonly string[] s_units = ["B", "KB", "MB", "GB", "TB"];

    public static string Format(double bytes)
    {
        double value = Math.Abs(bytes);
        int unit = 0;
        while (value >= 1024 && unit < s_units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        string sign = bytes < 0 ? "-" : string.Empty;
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{value:0} B")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{value:0.0} {s_units[unit]}");
    }

    /// <summary>Parses <c>123</c>, <c>512KB</c>, <c>1.5 MB</c>, <c>2GiB</c>; false on anything else.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (!double.TryParse(s[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        string unit = s[split..].Trim().ToUpperInvariant().Replace("IB", "B", StringComparison.Ordinal);
        double multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" => 1024,
            "M" or "MB" => 1024 * 1024,
            "G" or "GB" => 1024d * 1024 * 1024,
            "T" or "TB" => 1024d * 1024 * 1024 * 1024,
            _ => -1,
        };
        if (multiplier < 0)
        {
            return false;
        }

        // Infinity, NaN and sizes beyond 8 EB are not sizes (the cast would silently wrap or saturate).
        double value = Math.Round(number * multiplier);
        if (!double.IsFinite(value) || value >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }
}
