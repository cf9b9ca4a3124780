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
        Description = "Report format: table, json, markdown, csv, speedscope, pprof (needs -o) or html. Default: table on the console, or from the -o file's extension.",
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
        Description = "Ask the runtime for a stack per event (costly: 600-750 ns per event in the target).",
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

    /// <summary>
    /// The format to write: explicit, else from the output file's name, else table. A binary format (pprof) needs a
    /// file: refused here, before any session starts.
    /// </summary>
    public static ReportFormat ResolveFormat(ReportFormat? explicitFormat, FileInfo? output)
    {
        var format = explicitFormat ?? FormatOf(output?.Name);
        if (output is null && format == ReportFormat.Pprof)
        {
            throw new ProfilerException(ProfilerErrorKind.Usage, "pprof is a binary format: give the file to write with -o (for example -o allocations.pb.gz).");
        }

        return format;
    }

    /// <summary>The format a file name implies: .json, .speedscope.json, .md, .csv, .pb.gz/.pprof, .html; else table.</summary>
    public static ReportFormat FormatOf(string? fileName)
    {
        string name = (fileName ?? string.Empty).ToLowerInvariant();
        return name switch
        {
            _ when name.EndsWith(".speedscope.json", StringComparison.Ordinal) => ReportFormat.Speedscope,
            _ when name.EndsWith(".json", StringComparison.Ordinal) => ReportFormat.Json,
            _ when name.EndsWith(".md", StringComparison.Ordinal) || name.EndsWith(".markdown", StringComparison.Ordinal) => ReportFormat.Markdown,
            _ when name.EndsWith(".csv", StringComparison.Ordinal) => ReportFormat.Csv,
            _ when name.EndsWith(".pb.gz", StringComparison.Ordinal) || name.EndsWith(".pprof", StringComparison.Ordinal) => ReportFormat.Pprof,
            _ when name.EndsWith(".html", StringComparison.Ordinal) || name.EndsWith(".htm", StringComparison.Ordinal) => ReportFormat.Html,
            _ => ReportFormat.Table,
        };
    }
}
