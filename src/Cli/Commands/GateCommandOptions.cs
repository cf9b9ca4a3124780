using System.CommandLine;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Gate;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Commands;

/// <summary>The gate's options, shared by <c>check</c> and <c>run</c> so that both gate the same way.</summary>
internal sealed class GateCommandOptions
{
    private readonly Option<FileInfo?> _baseline = new("--baseline") { Description = "A report to compare with (JSON written by -o --format json)." };
    private readonly Option<FileInfo?> _budget = new("--budget") { Description = "A budget file with per-group limits (docs/ci-gate.md)." };
    private readonly Option<Threshold> _maxIncrease = new("--max-increase")
    {
        Description = "Allowed growth of a group's exact bytes over the baseline: a percentage (5%) or a size (512KB). Default 5%.",
        DefaultValueFactory = _ => Threshold.Default,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (Threshold.TryParse(text, out var threshold))
            {
                return threshold;
            }

            result.AddError($"'{text}' is not an increase: use a percentage (5%) or a size (512KB).");
            return default;
        },
    };

    private readonly Option<bool> _failOnNew = new("--fail-on-new") { Description = "Fail when a group is not in the baseline." };
    private readonly Option<bool> _updateBaseline = new("--update-baseline") { Description = "After checking, write this report as the new baseline (atomically) at the --baseline path." };

    public static GateCommandOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(_baseline);
        command.Options.Add(_budget);
        command.Options.Add(_maxIncrease);
        command.Options.Add(_failOnNew);
        command.Options.Add(_updateBaseline);
    }

    /// <summary>Whether any gate option was given.</summary>
    public bool IsRequested(ParseResult parse) =>
        parse.GetValue(_baseline) is not null || parse.GetValue(_budget) is not null;

    /// <summary>
    /// Checks <paramref name="report"/> and prints the verdicts; null when no gate was asked for, else
    /// <see cref="ExitCodes.Success"/> or <see cref="ExitCodes.GateFailed"/>. Unreadable inputs throw
    /// <see cref="InvalidDataException"/> (exit code 2 through <see cref="CommandGuard"/>).
    /// </summary>
    public int? Evaluate(ParseResult parse, AllocationReport report, IConsole console, ReportFormat format = ReportFormat.Table, FileInfo? output = null)
    {
        var baselineFile = parse.GetValue(_baseline);
        var budgetFile = parse.GetValue(_budget);
        bool update = parse.GetValue(_updateBaseline);
        if (update && baselineFile is null)
        {
            throw new InvalidDataException("--update-baseline needs --baseline <file>: the path to write.");
        }

        if (baselineFile is null && budgetFile is null)
        {
            return null;
        }

        // A baseline that does not exist yet is created by --update-baseline: the first run of a new gate.
        AllocationReport? baseline = baselineFile is null || (update && !baselineFile.Exists) ? null : ReadReport(baselineFile);
        var budget = budgetFile is null ? null : Budget.Parse(ReadText(budgetFile), budgetFile.Name);
        var result = GateEvaluator.Evaluate(report, baseline, parse.GetValue(_maxIncrease), parse.GetValue(_failOnNew), budget);

        string rendered = GateRenderer.Render(result, format);
        if (output is not null)
        {
            AtomicFile.WriteAllText(output.FullName, rendered);
            console.Error.WriteLine($"Gate result written to {output.FullName}");
        }
        else
        {
            console.Out.Write(rendered);
        }

        if (update)
        {
            AtomicFile.WriteAllText(baselineFile!.FullName, ReportJson.Serialize(report) + Environment.NewLine);
            console.Error.WriteLine($"Baseline updated: {baselineFile.FullName}");
        }

        return result.Passed ? ExitCodes.Success : ExitCodes.GateFailed;
    }

    public static AllocationReport ReadReport(FileInfo file) => ReportJson.Deserialize(ReadText(file), file.Name);

    private static string ReadText(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new InvalidDataException($"{file.FullName}: no such file.");
        }

        return File.ReadAllText(file.FullName);
    }
}
