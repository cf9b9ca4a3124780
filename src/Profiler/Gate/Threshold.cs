using System.Globalization;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Gate;

/// <summary>An allowed increase: relative (<c>5%</c>) or absolute (<c>512KB</c>). Never infinite or NaN: "no limit" is not a threshold.</summary>
public readonly record struct Threshold(double? Percent, long? Bytes)
{
    public static Threshold Default { get; } = new(5, null);

    /// <summary>The largest value allowed for a group whose baseline is <paramref name="baseline"/>.</summary>
    public double Limit(double baseline) => Percent is double p ? baseline * (1 + (p / 100)) : baseline + (Bytes ?? 0);

    public static bool TryParse(string? text, out Threshold threshold)
    {
        threshold = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string s = text.Trim();
        if (s.EndsWith('%'))
        {
            if (double.TryParse(s[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double percent)
                && double.IsFinite(percent) && percent >= 0)
            {
                threshold = new Threshold(percent, null);
                return true;
            }

            return false;
        }

        if (ByteSize.TryParse(s, out long bytes) && bytes >= 0)
        {
            threshold = new Threshold(null, bytes);
            return true;
        }

        return false;
    }

    public override string ToString() => Percent is double p
        ? string.Create(CultureInfo.InvariantCulture, $"+{p:0.##}%")
        : "+" + ByteSize.Format(Bytes ?? 0);
}
