using System.CommandLine;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>run [options] -- &lt;command&gt;</c>: trace a command from its first instruction until it exits.</summary>
internal static class RunCommand
{
    public static Command Create(IConsole console)
    {
        var command = new Argument<string[]>("command") { Description = "The command to run, after --: dotnet app.dll, an apphost, dotnet test ...", Arity = ArgumentArity.OneOrMore };
        var traceProcess = new Option<string[]>("--trace-process")
        {
            Description = "Name of a process to trace (main assembly or executable, no extension); repeatable. Default: every runtime the command starts except the .NET SDK's own (for dotnet test: the test hosts).",
            AllowMultipleArgumentsPerToken = false,
        };
        var connectTimeout = new Option<TimeSpan?>("--connect-timeout")
        {
            Description = "How long to wait for the command's first .NET runtime (default 30s).",
            CustomParser = CommonOptions.ParseDuration,
        };
        var diagnosticPort = new Option<string?>("--diagnostic-port", "--dport")
        {
            Description = "A path where the tool listens and the command's runtimes connect (DOTNET_DiagnosticPorts=<path>), instead of their default endpoints in the temp folder.",
        };
        var tracing = new SessionCommandOptions();
        var gate = GateCommandOptions.Create();

        var run = new Command("run", "Run a command under dotnet-alloctrack from its first instruction, write the report when it exits, and exit with its exit code (or 1 when a gate fails).")
        {
            command, traceProcess, connectTimeout, diagnosticPort,
        };
        tracing.AddTo(run);
        gate.AddTo(run);
        run.SetAction((parse, cancel) => CommandGuard.RunAsync(console, async () =>
        {
            string[] words = parse.GetValue(command) ?? [];
            var launch = new LaunchOptions
            {
                FileName = words[0],
                Arguments = words[1..],
                TraceProcessNames = parse.GetValue(traceProcess) ?? [],
                ConnectTimeout = parse.GetValue(connectTimeout) ?? TimeSpan.FromSeconds(30),
                DiagnosticPort = parse.GetValue(diagnosticPort) is { } port ? DiagnosticPort.Parse(port) : null,
            };
            var outputFile = tracing.Output(parse);
            var reportFormat = tracing.Format(parse);
            await using var session = LaunchSession.Start(launch, tracing.Session(parse));
            session.RuntimeDiscovered += (runtime, traced) =>
                console.Error.WriteLine($"dotnet-alloctrack: {(traced ? "tracing" : "resumed untraced")} process {runtime.ProcessId} ({runtime.Name})");

            int? exitCode;
            try
            {
                exitCode = await session.RunAsync(cancel).ConfigureAwait(false);
            }
            catch (ProfilerException e) when (e.Kind == ProfilerErrorKind.NeverConnected)
            {
                await session.StopAsync().ConfigureAwait(false);
                if (outputFile is not null)
                {
                    SessionHost.WriteReport(console, session.BuildReport("never-connected", null), reportFormat, outputFile);
                }

                throw;
            }

            await session.StopAsync().ConfigureAwait(false);
            var report = session.BuildReport(exitCode is null ? "stopped" : "target-exited", exitCode);
            SessionHost.WriteReport(console, report, reportFormat, outputFile);
            if (exitCode is null)
            {
                return CommandGuard.Fail(console, "interrupted; the command was stopped and the report covers it until then.", ExitCodes.Interrupted);
            }

            return gate.Evaluate(parse, report, console) is int gateCode && gateCode != ExitCodes.Success ? gateCode : exitCode.Value;
        }));
        return run;
    }
}
