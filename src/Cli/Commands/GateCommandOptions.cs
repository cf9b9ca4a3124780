using System.CommandLine;
using TrackingProfiler.Profiler.Gate;

namespace TrackingProfiler.Cli.Commands;

/// <summary>The gate's options, shared by <c>check</c> and <c>run</c> so that both gate the same way.</summary>
internal sealed class GateCommandOptions
{
    private readonly Option<FileInfo?> _baseline = new("--baseline")
    {
        Description = "A report to compare with (JSON written by -o --format json).",
        HelpName = "file",
        CustomParser = CommonOptions.ParseFile,
    };

    private readonly Option<FileInfo?> _budget = new("--budget")
    {
        Description = "A budget file with per-group limits (docs/ci-gate.md).",
        HelpName = "file",
        CustomParser = CommonOptions.ParseFile,
    };

    // No DefaultValueFactory: the help would print the default a second time, in Threshold's own spelling.
    private readonly Option<Threshold?> _maxIncrease = new("--max-increase")
    {
        Description = "Allowed growth of a group's exact bytes over the baseline: a percentage (5%) or a size (512KB). Default: 5%.",
        HelpName = "limit",
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (Threshold.TryParse(text, out var threshold))
            {
                return threshold;
            }

            result.AddError($"--max-increase '{text}' is not an increase: use a finite percentage (5%) or a size (512KB).");
            return null;
        },
    };

    private readonly Option<bool> _failOnNew = new("--fail-on-new") { Description = "Fail when a group is not in the baseline." };
    private readonly Option<bool> _updateBaseline = new("--update-baseline") { Description = "After checking, write this report as the new baseline (atomically) at the --baseline path." };
    private readonly Option<bool> _allowLostEvents = new("--allow-lost-events")
    {
        Description = "Gate a report that lost events anyway (its exact figures may be too low); without it such a report fails with exit code 11.",
    };

    public static GateCommandOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(_baseline);
        command.Options.Add(_budget);
        command.Options.Add(_maxIncrease);
        command.Options.Add(_failOnNew);
        command.Options.Add(_updateBaseline);
        command.Options.Add(_allowLostEvents);
    }

    /// <summary>What the command line asks the gate to do; null when it asks for no gate. Inconsistent options throw (exit 2).</summary>
    public GateRequest? Request(ParseResult parse)
    {
        var baseline = parse.GetValue(_baseline);
        var budget = parse.GetValue(_budget);
        bool update = parse.GetValue(_updateBaseline);
        if (update && baseline is null)
        {
            throw GateSteps.Usage("--update-baseline needs --baseline <file>: the path to write.");
        }

        return baseline is null && budget is null
            ? null
            : new GateRequest(baseline, budget, parse.GetValue(_maxIncrease) ?? Threshold.Default, parse.GetValue(_failOnNew), update, parse.GetValue(_allowLostEvents));
    }
}
