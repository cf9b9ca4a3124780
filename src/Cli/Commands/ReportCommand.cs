using System.CommandLine;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Replay;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>report &lt;trace.nettrace&gt;</c>: the report of a recorded trace (from --save-trace, or dotnet-trace).</summary>
internal static class ReportCommand
{
    public static Command Create(IConsole console)
    {
        var trace = new Argument<FileInfo>("trace") { Description = "A .nettrace file: saved with --save-trace, or recorded by dotnet-trace with allocation events (--clrevents allocationsampling, or --profile gc-verbose)." };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var trackFrees = CommonOptions.TrackFrees();
        var command = new Command("report", "Write the per-group report (with call paths when the trace has stacks) of a recorded trace.")
        {
            trace, format, output, trackFrees,
        };
        command.SetAction((parse, cancel) => CommandGuard.RunAsync(console, () =>
        {
            var options = new SessionOptions { TrackFrees = parse.GetValue(trackFrees) };
            var report = TraceFileReplay.Read(parse.GetValue(trace)!.FullName, options);
            var file = parse.GetValue(output);
            SessionHost.WriteReport(console, report, CommonOptions.ResolveFormat(parse.GetValue(format), file), file);
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
