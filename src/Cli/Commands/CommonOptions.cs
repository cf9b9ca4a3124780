using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// Options shared by the tracing commands, spelled as dotnet-trace and dotnet-counters spell them. Every value goes
/// through a parser here that reports a bad value as a parse error (one line, exit 2) and never throws.
/// </summary>
internal static class CommonOptions
{
    /// <summary>The longest duration accepted: timers take at most 2^32-2 ms (49.7 days).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    public static Option<TimeSpan?> Duration() => new("--duration")
    {
        Description = "How long to trace: 30s, 2m, 1h or hh:mm:ss. Default: until Ctrl+C.",
        CustomParser = ParseDuration,
    };

    public static Option<ReportFormat?> Format() => new("--format")
    {
        Description = "Report format. Default: table on the console, or from the -o file's extension (.json, .md, .csv).",
        HelpName = "table|json|markdown|csv",
        CustomParser = result => ParseEnum<ReportFormat>(result, "--format"),
    };

    public static Option<FileInfo?> Output() => new("--output", "-o")
    {
        Description = "Write the final report to this file (atomically when it is a regular file; checked before tracing starts).",
        HelpName = "file",
        CustomParser = ParseFile,
    };

    public static Option<SamplingMode> Sampling() => new("--sampling")
    {
        Description = "Allocation sampling: auto (randomized on .NET 10+, tick before), randomized, tick or none. Default: auto.",
        HelpName = "auto|randomized|tick|none",
        CustomParser = result => ParseEnum<SamplingMode>(result, "--sampling") ?? SamplingMode.Auto,
        DefaultValueFactory = _ => SamplingMode.Auto,
    };

    public static Option<int> BufferSize() => new("--buffer-size")
    {
        Description = "EventPipe buffer in MB, 1 to 4096; raise it if events are lost. Default: 64.",
        HelpName = "MB",
        CustomParser = result => ParseWholeNumber(result, "--buffer-size", 1, 4096) ?? 64,
        DefaultValueFactory = _ => 64,
    };

    public static Option<bool> TrackFrees() => new("--track-frees")
    {
        Description = "Follow sampled objects through GCs: adds freed, live and gen2 bytes per group.",
    };

    public static Option<bool> Stacks() => new("--stacks")
    {
        Description = "Record the managed call stack of every allocation sample and report each group's top call paths (costs the target a stack walk per event: see docs/performance.md).",
    };

    public static Option<FileInfo?> SaveTrace() => new("--save-trace")
    {
        Description = "Also keep the raw event stream in this .nettrace file; 'dotnet-alloctrack report FILE' reads it again.",
    };

    public static TimeSpan? ParseDuration(ArgumentResult result)
    {
        string text = Single(result);
        if (TryParseDuration(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration for {Name(result)}: use 30s, 2m, 1h or hh:mm:ss, up to {MaxDuration.TotalDays:0} days.");
        return null;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; null (and a parse error) otherwise.</summary>
    public static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max)
    {
        string text = Single(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        string why = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? $"must be a whole number from {min} to {max}"
            : $"is not a number (a whole number from {min} to {max} is expected)";
        result.AddError($"{name} '{text}' {why}.");
        return null;
    }

    /// <summary>One of the enum's names, any case; the error lists them in lower case as the docs do.</summary>
    public static T? ParseEnum<T>(ArgumentResult result, string name)
        where T : struct, Enum
    {
        string text = Single(result);
        if (!text.All(char.IsAsciiDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        result.AddError($"{name} '{text}' is not one of: {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}.");
        return null;
    }

    public static FileInfo? ParseFile(ArgumentResult result)
    {
        string text = Single(result);
        try
        {
            if (text.Trim().Length > 0 && text.IndexOf('\0', StringComparison.Ordinal) < 0)
            {
                return new FileInfo(text);
            }
        }
        catch (Exception e) when (e is ArgumentException or PathTooLongException or NotSupportedException or System.Security.SecurityException)
        {
        }

        result.AddError($"{Name(result)} '{text}' is not a valid file path.");
        return null;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out duration)
                && duration > TimeSpan.Zero && duration <= MaxDuration;
        }

        string number = text;
        double unitSeconds = 1;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            number = text[..^2];
            unitSeconds = 0.001;
        }
        else if (char.IsLetter(text[^1]))
        {
            number = text[..^1];
            unitSeconds = char.ToLowerInvariant(text[^1]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => double.NaN,
            };
        }

        // Computed in double and range-checked before any TimeSpan exists: TimeSpan.FromHours(1e12) would throw.
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            return false;
        }

        double seconds = value * unitSeconds;
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > MaxDuration.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return duration > TimeSpan.Zero;
    }

    /// <summary>The format to write: explicit, else from the output file's extension, else table.</summary>
    public static ReportFormat ResolveFormat(ReportFormat? explicitFormat, FileInfo? output) =>
        explicitFormat ?? (output?.Extension.ToLowerInvariant() switch
        {
            ".json" => ReportFormat.Json,
            ".md" or ".markdown" => ReportFormat.Markdown,
            ".csv" => ReportFormat.Csv,
            _ => ReportFormat.Table,
        });

    private static string Single(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;

    private static string Name(ArgumentResult result) => result.Parent switch
    {
        OptionResult option => option.Option.Name,
        _ => result.Argument.Name,
    };
}
