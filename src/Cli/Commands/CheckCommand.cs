using System.CommandLine;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Gate;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>check &lt;report.json&gt;</c>: the CI memory regression gate.</summary>
internal static class CheckCommand
{
    public static Command Create(IConsole console)
    {
        var report = new Argument<FileInfo>("report") { Description = "The report to check (JSON written by attach/run with --format json)." };
        var format = new Option<ReportFormat?>("--format") { Description = "table (default), markdown (pull requests, $GITHUB_STEP_SUMMARY), csv or json." };
        var output = CommonOptions.Output();
        var gate = GateCommandOptions.Create();
        var command = new Command("check", "Compare a report with a baseline and/or a budget; exit 1 when a group regressed or is over budget.") { report, format, output };
        gate.AddTo(command);
        command.SetAction(parse => CommandGuard.RunAsync(console, () =>
        {
            if (!gate.IsRequested(parse))
            {
                throw new InvalidDataException("Nothing to check against: give --baseline <file>, --budget <file>, or both.");
            }

            var current = GateCommandOptions.ReadReport(parse.GetValue(report)!);
            var outputFile = parse.GetValue(output);
            var reportFormat = parse.GetValue(format) ?? CommonOptions.FormatOf(outputFile?.Name);
            if (!GateRenderer.Supports(reportFormat))
            {
                throw new InvalidDataException($"check writes its verdicts as table, markdown, csv or json, not {reportFormat.ToString().ToLowerInvariant()}.");
            }

            return Task.FromResult(gate.Evaluate(parse, current, console, reportFormat, outputFile) ?? ExitCodes.UsageError);
        }));
        return command;
    }
}
