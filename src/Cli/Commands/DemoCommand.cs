using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>demo</c>: starts the bundled workload in a child process, traces it, and shows the live table.</summary>
internal static class DemoCommand
{
    public static Command Create(IConsole console)
    {
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "How long the demo workload runs (default 10s).",
            CustomParser = CommonOptions.ParseDuration,
        };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var trackFrees = CommonOptions.TrackFrees();
        var command = new Command("demo", "Run the bundled demo workload under dotnet-alloctrack and show its allocations per group.")
        {
            duration, format, output, trackFrees,
        };
        command.SetAction((parse, cancel) => CommandGuard.RunAsync(console, async () =>
        {
            var seconds = (parse.GetValue(duration) ?? TimeSpan.FromSeconds(10)).TotalSeconds;

            // The workload starts paused before Main: the session sees it from its first instruction, group names included.
            using var child = await ChildRuntime.StartPausedAsync(WorkloadStartInfo(seconds), TimeSpan.FromSeconds(15), cancel).ConfigureAwait(false);
            var options = new SessionOptions { TrackFrees = parse.GetValue(trackFrees) };
            await using var session = child.StartTracing((client, target) => ProfilingSession.Start(client, target, options, fromFirstInstruction: true));
            await child.Process.StandardInput.WriteLineAsync("start").ConfigureAwait(false);
            await child.Process.StandardInput.FlushAsync(cancel).ConfigureAwait(false);

            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tracing the demo workload (pid {child.Target.ProcessId}) for {seconds:0.#} s..."));
            var outcome = await SessionHost.TraceAsync(console, session, "demo", duration: null, liveView: true, cancel).ConfigureAwait(false);
            var fileOutput = parse.GetValue(output);
            SessionHost.WriteReport(console, outcome.Report, CommonOptions.ResolveFormat(parse.GetValue(format), fileOutput), fileOutput);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static ProcessStartInfo WorkloadStartInfo(double seconds)
    {
        // Run this same tool again: its apphost when it is the running program (`dotnet run`, an installed tool),
        // else `dotnet dotnet-alloctrack.dll` (`dotnet dotnet-alloctrack.dll`, or a test host calling the CLI in-process).
        string toolAssembly = typeof(DemoCommand).Assembly.Location;
        bool isEntry = System.Reflection.Assembly.GetEntryAssembly() == typeof(DemoCommand).Assembly;
        string host = isEntry && Environment.ProcessPath is { } path && !Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? path
            : "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (host == "dotnet")
        {
            info.ArgumentList.Add(toolAssembly);
        }

        info.ArgumentList.Add(DemoWorkloadCommand.Name);
        info.ArgumentList.Add("--seconds");
        info.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        return info;
    }
}
