using System.CommandLine;
using System.CommandLine.Parsing;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>run [options] -- &lt;command&gt;</c>: trace a command from its first instruction until it exits.</summary>
internal static class RunCommand
{
    public static Command Create(IConsole console, StopSignals? signals = null)
    {
        var command = new Argument<string[]>("command")
        {
            Description = "The command to run, after --: dotnet app.dll, an apphost, dotnet test ... Every option of run goes before the --.",
            Arity = ArgumentArity.OneOrMore,
        };
        var traceProcess = new Option<string[]>("--trace-process")
        {
            Description = "Name of a process to trace (main assembly or executable, no extension); repeatable. Default: every runtime the command starts except the .NET SDK's own (for dotnet test: the test hosts).",
            AllowMultipleArgumentsPerToken = false,
        };
        var connectTimeout = new Option<TimeSpan?>("--connect-timeout")
        {
            Description = "How long to wait for the command's first .NET runtime. Default: 30s.",
            CustomParser = CommonOptions.ParseDuration,
        };
        var tracing = new SessionCommandOptions();
        var gate = GateCommandOptions.Create();

        var run = new Command("run", "Run a command under dotnet-alloctrack from its first instruction, write the report when it exits, and exit with its exit code (or 1 when a gate fails). Usage: run [options] -- <command>.")
        {
            command, traceProcess, connectTimeout,
        };
        tracing.AddTo(run);
        gate.AddTo(run);
        run.SetAction((parse, cancel) => CommandGuard.RunAsync(console, async () =>
        {
            string[] words = CommandAfterDoubleDash(parse, command);
            var outputFile = tracing.Output(parse);
            var reportFormat = tracing.Format(parse);
            var gateRequest = gate.Request(parse);

            // Everything that can be checked before the command starts is: a typo must not cost a whole run.
            ReportOutput.Check(outputFile);

            var gateInputs = gateRequest is null ? null : GateSteps.LoadInputs(gateRequest);
            if (gateRequest?.UpdateBaseline == true)
            {
                OutputFile.Check(gateRequest.Baseline!.FullName);
            }

            var launch = new LaunchOptions
            {
                FileName = words[0],
                Arguments = words[1..],
                TraceProcessNames = parse.GetValue(traceProcess) ?? [],
                ConnectTimeout = parse.GetValue(connectTimeout) ?? TimeSpan.FromSeconds(30),
            };
            await using var session = LaunchSession.Start(launch, tracing.Session(parse));
            session.RuntimeDiscovered += (runtime, traced) =>
                console.Error.WriteLine($"dotnet-alloctrack: {(traced ? "tracing" : "resumed untraced")} process {runtime.ProcessId} ({CommandGuard.OneLine(runtime.Name)})");

            int? exitCode;
            try
            {
                exitCode = await session.RunAsync(cancel).ConfigureAwait(false);
            }
            catch (ProfilerException e) when (e.Kind == ProfilerErrorKind.NeverConnected)
            {
                await SessionHost.StopAsync(session.StopAsync(), signals).ConfigureAwait(false);
                if (outputFile is not null)
                {
                    SessionHost.WriteReport(console, session.BuildReport("never-connected", null), reportFormat, outputFile);
                }

                throw;
            }

            bool cutShort = await SessionHost.StopAsync(session.StopAsync(), signals).ConfigureAwait(false);
            var report = session.BuildReport(exitCode is null ? "stopped" : "target-exited", exitCode);
            if (cutShort)
            {
                report = report with { Session = report.Session with { Notes = [.. report.Session.Notes, SessionHost.CutShortNote] } };
            }

            SessionHost.WriteReport(console, report, reportFormat, outputFile);
            if (exitCode is null)
            {
                return CommandGuard.Fail(console, "interrupted; the command was stopped and the report covers it until then.", ExitCodes.Interrupted);
            }

            if (gateRequest is null)
            {
                return exitCode.Value;
            }

            int gateCode = GateSteps.Run(report, outputFile?.Name ?? "the report", gateRequest, gateInputs!, console, ReportFormat.Table, output: null);
            return gateCode != ExitCodes.Success ? gateCode : exitCode.Value;
        }));
        return run;
    }

    /// <summary>
    /// The command's words, which must all follow <c>--</c>: a word before it that the parser did not take as an option
    /// (<c>run --duration 5s -- x</c>, <c>run --bogus -- x</c>) is a usage error, never the program to start.
    /// </summary>
    private static string[] CommandAfterDoubleDash(ParseResult parse, Argument<string[]> command)
    {
        var tokens = parse.Tokens;
        int doubleDash = -1;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.DoubleDash)
            {
                doubleDash = i;
                break;
            }
        }

        var commandTokens = parse.GetResult(command)?.Tokens ?? [];
        foreach (var token in commandTokens)
        {
            int index = IndexOf(tokens, token);
            if (doubleDash < 0 || (index >= 0 && index < doubleDash))
            {
                throw GateSteps.Usage(token.Value.StartsWith('-')
                    ? $"run has no option '{token.Value}' (see dotnet-alloctrack run --help); the command to run goes after --."
                    : $"'{token.Value}': the command to run goes after --, as in: dotnet-alloctrack run [options] -- {token.Value} ...");
            }
        }

        return [.. commandTokens.Select(t => t.Value)];
    }

    private static int IndexOf(IReadOnlyList<Token> tokens, Token token)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            if (ReferenceEquals(tokens[i], token))
            {
                return i;
            }
        }

        return -1;
    }
}
