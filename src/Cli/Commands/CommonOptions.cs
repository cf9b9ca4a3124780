using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>Options shared by the tracing commands, spelled as dotnet-trace and dotnet-counters spell them.</summary>
internal static class CommonOptions
{
    public static Option<TimeSpan?> Duration() => new("--duration")
    {
        Description = "How long to trace: 30s, 2m, 1h or hh:mm:ss. Default: until Ctrl+C (attach) or until the command exits (run).",
        CustomParser = result => ParseDuration(result),
    };

    public static Option<ReportFormat?> Format() => new("--format")
    {
        Description = "Report format: table, json, markdown or csv. Default: table on the console, or from the -o file's extension.",
    };

    public static Option<FileInfo?> Output() => new("--output", "-o")
    {
        Description = "Write the final report to this file (atomically).",
    };

    public static Option<SamplingMode> Sampling() => new("--sampling")
    {
        Description = "Allocation sampling: auto (randomized on .NET 10+, tick before), randomized, tick or none.",
        DefaultValueFactory = _ => SamplingMode.Auto,
    };

    public static Option<int> BufferSize() => new("--buffer-size")
    {
        Description = "EventPipe buffer in MB; raise it if events are lost.",
        DefaultValueFactory = _ => 64,
        Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > 4096) { r.AddError("--buffer-size must be between 1 and 4096 MB."); } } },
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
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParseDuration(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration: use 30s, 2m, 1h or hh:mm:ss.");
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
            return TimeSpan.TryParseExact(text, [@"hh\:mm\:ss", @"h\:mm\:ss", @"mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
        }

        char unit = char.ToLowerInvariant(text[^1]);
        string number = char.IsLetter(unit) ? text[..^1] : text;
        if (text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            unit = 'f';
            number = text[..^2];
        }

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value <= 0)
        {
            return false;
        }

        duration = unit switch
        {
            'f' => TimeSpan.FromMilliseconds(value),
            's' or >= '0' and <= '9' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => TimeSpan.Zero,
        };
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
}
