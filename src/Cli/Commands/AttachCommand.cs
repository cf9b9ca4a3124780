using System.CommandLine;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>attach &lt;pid&gt;</c>: trace a running process and report per group.</summary>
internal static class AttachCommand
{
    public static Command Create(IConsole console, StopSignals? signals = null)
    {
        var pidArgument = new Argument<int?>("pid")
        {
            Description = "Id of the process to attach to.",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => CommonOptions.ParseWholeNumber(result, "<pid>", 0, int.MaxValue),
        };
        var processId = new Option<int?>("--process-id", "-p")
        {
            Description = "Id of the process to attach to.",
            CustomParser = result => CommonOptions.ParseWholeNumber(result, "--process-id", 0, int.MaxValue),
        };
        var name = new Option<string?>("--name", "-n") { Description = "Name of the process to attach to." };
        var diagnosticPort = new Option<string?>("--diagnostic-port", "--dport")
        {
            Description = "Reach the runtime through a named diagnostic port instead of its process id, as dotnet-trace does: <path> (or <path>,listen) listens there for a runtime started with DOTNET_DiagnosticPorts=<path>; <path>,connect connects to a runtime started with DOTNET_DiagnosticPorts=<path>,listen.",
        };
        var duration = CommonOptions.Duration();
        var tracing = new SessionCommandOptions();
        var command = new Command("attach", "Attach to a running .NET process and show its allocations per group, live on a terminal, then as a report.")
        {
            pidArgument, processId, name, diagnosticPort, duration,
        };
        tracing.AddTo(command);
        command.SetAction((parse, cancel) => CommandGuard.RunAsync(console, async () =>
        {
            int? pid = parse.GetValue(pidArgument) ?? parse.GetValue(processId);
            if (parse.GetValue(pidArgument) is not null && parse.GetValue(processId) is not null)
            {
                throw new ProfilerException(ProfilerErrorKind.Usage, "Give the process id once: as the <pid> argument or with --process-id.");
            }

            // Checked before attaching: a typo in the directory must not cost the whole session.
            ReportOutput.Check(tracing.Output(parse));
            var reportFormat = tracing.Format(parse);

            var options = tracing.Session(parse);
            var stop = parse.GetValue(duration);
            if (parse.GetValue(diagnosticPort) is { } port)
            {
                if (pid is not null || parse.GetValue(name) is not null)
                {
                    throw new ProfilerException(ProfilerErrorKind.Usage, "Give either a process (id or name) or --diagnostic-port, not both.");
                }

                await using var connection = await PortConnection.OpenAsync(DiagnosticPort.Parse(port), console.Error.WriteLine, cancel).ConfigureAwait(false);
                ProfilingSession portSession;
                try
                {
                    portSession = ProfilingSession.Start(connection.Client, connection.Target, options);
                }
                finally
                {
                    connection.Resume(); // a runtime that connected paused must run, whether or not the session started
                }

                await using (portSession)
                {
                    return await TraceAsync(console, portSession, stop, reportFormat, tracing.Output(parse), signals, cancel).ConfigureAwait(false);
                }
            }

            var target = AttachTarget.Resolve(pid, parse.GetValue(name));
            await using var session = ProfilingSession.Start(target, options);
            return await TraceAsync(console, session, stop, reportFormat, tracing.Output(parse), signals, cancel).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> TraceAsync(IConsole console, ProfilingSession session, TimeSpan? duration, ReportFormat format, FileInfo? output, StopSignals? signals, CancellationToken cancel)
    {
        var target = session.Target;
        // The process total counts from the counter's first reading (within a second): say "attached" once it is there.
        await Task.WhenAny(session.Totals.FirstReading, session.Completion, Task.Delay(TimeSpan.FromSeconds(3), cancel)).ConfigureAwait(false);
        console.Error.WriteLine($"Attached to process {target.ProcessId} ({CommandGuard.OneLine(target.Name)}), .NET {target.RuntimeVersion ?? "unknown"}, sampling: {session.Sampling.ToString().ToLowerInvariant()}, grouped by {session.GroupBy.Name}. Ctrl+C stops.");
        var outcome = await SessionHost.TraceAsync(console, session, "attach", duration, liveView: true, cancel, signals).ConfigureAwait(false);
        SessionHost.WriteReport(console, outcome.Report, format, output);
        if (outcome.TargetExited)
        {
            return CommandGuard.Fail(console, $"process {target.ProcessId} exited during the session; the report covers it until then.", ExitCodes.TargetExited);
        }

        return ExitCodes.Success;
    }
}
