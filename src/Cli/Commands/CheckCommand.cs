using System.CommandLine;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>check &lt;report.json&gt;</c>: the CI memory regression gate.</summary>
internal static class CheckCommand
{
    /// <summary>The gate's verdicts have no CSV form: a spreadsheet is not where a build's verdict goes.</summary>
    private static readonly ReportFormat[] s_formats = [ReportFormat.Table, ReportFormat.Markdown, ReportFormat.Json];

    public static Command Create(IConsole console)
    {
        var report = new Argument<FileInfo>("report")
        {
            Description = "The report to check (JSON written by attach/run with --format json).",
            CustomParser = CommonOptions.ParseFile,
        };
        var format = new Option<ReportFormat?>("--format")
        {
            Description = "table (default), markdown (pull requests, $GITHUB_STEP_SUMMARY) or json.",
            HelpName = "table|markdown|json",
            CustomParser = result =>
            {
                var value = CommonOptions.ParseEnum<ReportFormat>(result, "--format");
                if (value is ReportFormat f && !s_formats.Contains(f))
                {
                    result.AddError($"check writes table, markdown or json, not {f.ToString().ToLowerInvariant()} (csv is a format of attach and run reports).");
                }

                return value;
            },
        };
        var output = CommonOptions.Output();
        output.Description = "Write the gate's verdicts to this file (atomically when it is a regular file) instead of the console.";
        var gate = GateCommandOptions.Create();
        var command = new Command("check", "Compare a report with a baseline and/or a budget; exit 1 when a group regressed or is over budget.") { report, format, output };
        gate.AddTo(command);
        command.SetAction(parse => CommandGuard.RunAsync(console, () =>
        {
            var request = gate.Request(parse)
                ?? throw GateSteps.Usage("Nothing to check against: give --baseline <file>, --budget <file>, or both.");
            var reportFile = parse.GetValue(report)!;
            var outputFile = parse.GetValue(output);
            var reportFormat = ResolveFormat(parse.GetValue(format), outputFile);
            RefuseToOverwriteInputs(outputFile, reportFile, request);
            ReportOutput.Check(outputFile);
            if (request.UpdateBaseline)
            {
                ReportOutput.Check(request.Baseline);
            }

            var current = GateSteps.ReadReport(reportFile);
            var inputs = GateSteps.LoadInputs(request);
            return Task.FromResult(GateSteps.Run(current, reportFile.Name, request, inputs, console, reportFormat, outputFile));
        }));
        return command;
    }

    private static ReportFormat ResolveFormat(ReportFormat? explicitFormat, FileInfo? output)
    {
        var resolved = CommonOptions.ResolveFormat(explicitFormat, output);
        return s_formats.Contains(resolved)
            ? resolved
            : throw GateSteps.Usage($"{output?.Name} asks for csv by its extension, but check writes table, markdown or json: give --format or another extension.");
    }

    /// <summary>The gate's verdicts never replace what it reads: <c>check r.json -o r.json</c> would destroy the report.</summary>
    private static void RefuseToOverwriteInputs(FileInfo? output, FileInfo report, GateRequest request)
    {
        if (output is null)
        {
            return;
        }

        foreach (var (input, role) in new[] { (report, "the report"), (request.Baseline, "the baseline"), (request.Budget, "the budget") })
        {
            if (input is not null && OutputFile.SameFile(output.FullName, input.FullName))
            {
                throw GateSteps.Usage($"-o {output.FullName} is {role} being checked; refusing to overwrite an input: give another file.");
            }
        }
    }
}
