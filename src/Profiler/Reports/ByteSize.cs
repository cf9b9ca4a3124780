using System.Globalization;

namespace TrackingProfiler.Profiler.Reports;

/// <summary>
/// Formats and parses byte counts. Output uses binary units and says so: 1 KiB = 1,024 B, 1 MiB = 1,024 KiB.
/// Input follows IEC: <c>KiB</c>/<c>MiB</c>/<c>GiB</c> are 1,024-based, <c>KB</c>/<c>MB</c>/<c>GB</c> are 1,000-based,
/// so a size means the same wherever it is written or read.
/// </summary>
public static class ByteSize
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB"];

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

    /// <summary>Parses <c>123</c>, <c>512KiB</c>, <c>1.5 MiB</c>, <c>2GB</c> (2,000,000,000), <c>4k</c> (4,096); false on anything else.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string s = text.Trim();
        int split = 0;
        while (split < s.Length && (char.IsAsciiDigit(s[split]) || s[split] == '.'))
        {
            split++;
        }

        if (!double.TryParse(s[..split], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        double multiplier = s[split..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,

            // A bare letter is how people abbreviate binary sizes (ulimit, JVM flags): 1,024-based.
            "K" or "KIB" => 1024,
            "M" or "MIB" => 1024 * 1024,
            "G" or "GIB" => 1024d * 1024 * 1024,
            "T" or "TIB" => 1024d * 1024 * 1024 * 1024,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            _ => -1,
        };
        // Infinity, NaN and sizes beyond 8 EB are not sizes (the cast would silently wrap or saturate).
        double value = Math.Round(number * multiplier);
        if (multiplier < 0 || !double.IsFinite(value) || value >= long.MaxValue)
        {
            return false;
        }

        bytes = (long)value;
        return true;
    }
}
