using System.Globalization;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Gate;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary>
/// The gate as the steps <c>check</c> and <c>run</c> take, in order: <see cref="LoadInputs"/> (before a session, so a
/// bad baseline or budget costs nothing), <see cref="RequireTrustworthy"/>, <see cref="Evaluate"/>,
/// <see cref="Publish"/>, <see cref="UpdateBaseline"/>, and <see cref="ExitCode"/>.
/// </summary>
internal static class GateSteps
{
    /// <summary>The baseline and budget a gate compares with; either may be absent.</summary>
    public sealed record Inputs(AllocationReport? Baseline, string? BaselineName, Budget? Budget);

    /// <summary>Reads and validates the baseline and the budget; throws a usage error (exit 2) naming the file on anything wrong.</summary>
    public static Inputs LoadInputs(GateRequest request)
    {
        var baseline = request.ReadsBaseline ? ReadReport(request.Baseline!) : null;
        var budget = request.Budget is null ? null : Budget.Parse(InputFile.ReadAllText(request.Budget.FullName), request.Budget.Name);
        return new Inputs(baseline, request.Baseline?.Name, budget);
    }

    /// <summary>Reads a report (JSON) written by attach, run or demo; at most <see cref="InputFile.MaxBytes"/>.</summary>
    public static AllocationReport ReadReport(FileInfo file) => ReportJson.Deserialize(InputFile.ReadAllText(file.FullName), file.Name);

    /// <summary>
    /// A report that lost events has exact figures that may be too low (allocations between lost group changes land in
    /// the wrong group, or nowhere): it fails with <see cref="ExitCodes.EventsLost"/> unless the user accepts that.
    /// </summary>
    public static void RequireTrustworthy(AllocationReport report, string name, GateRequest request, IConsole console)
    {
        long lost = report.Session.EventsLost;
        if (lost <= 0)
        {
            return;
        }

        string figures = string.Create(CultureInfo.InvariantCulture, $"{name} lost {lost:N0} of {lost + report.Session.EventsProcessed:N0} events");
        if (!request.AllowLostEvents)
        {
            throw new ProfilerException(
                ProfilerErrorKind.EventsLost,
                $"{figures}, so its exact bytes may be wrong: trace again with a larger --buffer-size, or pass --allow-lost-events to gate it anyway.");
        }

        console.Error.WriteLine($"dotnet-alloctrack: warning: {CommandGuard.OneLine(figures)}; gated anyway (--allow-lost-events), but its exact bytes may be too low or in the wrong group.");
    }

    public static GateResult Evaluate(AllocationReport report, Inputs inputs, GateRequest request) =>
        GateEvaluator.Evaluate(report, inputs.Baseline, request.MaxIncrease, request.FailOnNew, inputs.Budget);

    /// <summary>Writes the verdicts: to <paramref name="output"/> when given (exit 12 if it cannot be written), else to the console.</summary>
    public static void Publish(GateResult result, ReportFormat format, FileInfo? output, IConsole console)
    {
        string rendered = GateRenderer.Render(result, format);
        if (output is null)
        {
            console.Out.Write(rendered);
            return;
        }

        ReportOutput.Write(console, output, rendered);
        console.Error.WriteLine($"Gate result written to {output.FullName}");
    }

    /// <summary>With <c>--update-baseline</c>, writes the checked report as the new baseline, atomically.</summary>
    public static void UpdateBaseline(AllocationReport report, GateRequest request, IConsole console)
    {
        if (!request.UpdateBaseline || request.Baseline is null)
        {
            return;
        }

        OutputFile.Write(request.Baseline.FullName, ReportJson.Serialize(report) + Environment.NewLine);
        console.Error.WriteLine($"Baseline updated: {request.Baseline.FullName}");
    }

    public static int ExitCode(GateResult result) => result.Passed ? ExitCodes.Success : ExitCodes.GateFailed;

    /// <summary>Every step after <see cref="LoadInputs"/>, in order; returns the gate's exit code.</summary>
    public static int Run(AllocationReport report, string reportName, GateRequest request, Inputs inputs, IConsole console, ReportFormat format, FileInfo? output)
    {
        RequireTrustworthy(report, reportName, request, console);
        if (inputs.Baseline is not null)
        {
            RequireTrustworthy(inputs.Baseline, inputs.BaselineName ?? "the baseline", request, console);
        }

        var result = Evaluate(report, inputs, request);
        Publish(result, format, output, console);
        UpdateBaseline(report, request, console);
        return ExitCode(result);
    }

    public static ProfilerException Usage(string message) => new(ProfilerErrorKind.Usage, message);
}
