using System.Globalization;

namespace TrackingProfiler.Benchmarks;

/// <summary>The argument conventions of the rotating runs: <c>[seconds] [rounds] [--name value ...]</c>.</summary>
internal static class BenchArguments
{
    public static double Seconds(string[] args, double fallback)
        => args.Length > 0 && double.TryParse(args[0], CultureInfo.InvariantCulture, out double s) ? s : fallback;

    public static int Rounds(string[] args, int fallback)
        => args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int r) ? r : fallback;

    public static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    public static double Option(string[] args, string name, double fallback)
        => Option(args, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The <c>--settle S</c> delay (seconds, default 0) that every configuration of a run waits alike.</summary>
    public static TimeSpan Settle(string[] args) => TimeSpan.FromSeconds(Option(args, "--settle", 0));
}
