using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>demo</c>: starts the bundled workload in a child process, traces it, and shows the live table.</summary>
internal static class DemoCommand
{
    public static Command Create(IConsole console, StopSignals? signals = null)
    {
        var duration = new Option<TimeSpan?>("--duration")
        {
            Description = "How long the demo workload runs (default 10s).",
            CustomParser = CommonOptions.ParseDuration,
        };
        var format = CommonOptions.Format();
        var output = CommonOptions.Output();
        var trackFrees = CommonOptions.TrackFrees();
        var stacks = CommonOptions.Stacks();
        var groupBy = GroupByOption.Create();
        var command = new Command("demo", "Run the bundled demo workload under dotnet-alloctrack and show its allocations per group.")
        {
            duration, format, output, trackFrees, stacks, groupBy,
        };
        command.SetAction((parse, cancel) => CommandGuard.RunAsync(console, async () =>
        {
            var seconds = (parse.GetValue(duration) ?? TimeSpan.FromSeconds(10)).TotalSeconds;
            var fileOutput = parse.GetValue(output);
            ReportOutput.Check(fileOutput);
            var reportFormat = CommonOptions.ResolveFormat(parse.GetValue(format), fileOutput);
            bool withStacks = parse.GetValue(stacks);

            // The workload starts paused before Main: the session sees it from its first instruction, group names included.
            using var child = await ChildRuntime.StartPausedAsync(WorkloadStartInfo(seconds, hold: withStacks), TimeSpan.FromSeconds(15), cancel).ConfigureAwait(false);
            var options = new SessionOptions { TrackFrees = parse.GetValue(trackFrees), Stacks = withStacks, TotalsIntervalMs = LaunchSession.LaunchedTotalsIntervalMs };
            GroupByOption.Apply(parse, groupBy, ref options);
            await using var session = child.StartTracing((client, target) => ProfilingSession.Start(client, target, options, start: SessionStart.BeforeFirstInstruction));
            await child.Process.StandardInput.WriteLineAsync("start").ConfigureAwait(false);
            await child.Process.StandardInput.FlushAsync(cancel).ConfigureAwait(false);

            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Tracing the demo workload (pid {child.Target.ProcessId}) for {seconds:0.#} s..."));
            // With stacks the workload holds when done, so the session is stopped while it lives: the rundown sent
            // at the stop names the code compiled before the session.
            using var done = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var watchDone = withStacks ? WatchForDoneAsync(child.Process, done) : Task.CompletedTask;
            var outcome = await SessionHost.TraceAsync(console, session, "demo", duration: null, liveView: true, done.Token, signals).ConfigureAwait(false);
            if (withStacks)
            {
                child.Process.StandardInput.Close();
            }

            await watchDone.ConfigureAwait(false);
            SessionHost.WriteReport(console, outcome.Report, reportFormat, fileOutput);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task WatchForDoneAsync(Process child, CancellationTokenSource done)
    {
        while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line == DemoWorkloadCommand.DoneLine)
            {
                await done.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static ProcessStartInfo WorkloadStartInfo(double seconds, bool hold)
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
        if (hold)
        {
            info.ArgumentList.Add("--hold");
        }

        return info;
    }
}
