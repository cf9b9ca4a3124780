using System.CommandLine;
using System.CommandLine.Help;
using TrackingProfiler.Cli.Commands;
using TrackingProfiler.Cli.Rendering;

namespace TrackingProfiler.Cli;

/// <summary>The command tree and its invocation: the one entry point for Program and for tests.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot(IConsole console, StopSignals? signals = null)
    {
        var root = new RootCommand("dotnet-alloctrack: which part of my program allocates, and keeps, this memory? Allocations per allocation group, over EventPipe.");
        root.Subcommands.Add(PsCommand.Create(console));
        root.Subcommands.Add(AttachCommand.Create(console, signals));
        root.Subcommands.Add(RunCommand.Create(console, signals));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(ReportCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console, signals));
        root.Subcommands.Add(DemoWorkloadCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IConsole console, CancellationToken cancel = default)
    {
        using var signals = new StopSignals(cancel);
        return await RunAsync(args, console, signals).ConfigureAwait(false);
    }

    public static async Task<int> RunAsync(string[] args, IConsole console, StopSignals signals)
    {
        try
        {
            return await ParseAndInvokeAsync(args, console, signals).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug that escaped every command's guard (or the parser itself): still one line and the documented code,
            // never System.CommandLine's stack trace.
            return CommandGuard.Fail(console, $"internal error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ").Trim()}). Please report it.", ExitCodes.InternalError);
        }
    }

    private static async Task<int> ParseAndInvokeAsync(string[] args, IConsole console, StopSignals signals)
    {
        var root = CreateRoot(console, signals);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, whatever the number of errors: the first is the one to fix first.
            string more = parse.Errors.Count > 1 ? $" (and {parse.Errors.Count - 1} more)" : string.Empty;
            string help = parse.CommandResult.Command is RootCommand ? "dotnet-alloctrack --help" : $"dotnet-alloctrack {parse.CommandResult.Command.Name} --help";
            return CommandGuard.Fail(console, $"{parse.Errors[0].Message.TrimEnd('.')}{more}. See '{help}'.", ExitCodes.UsageError);
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Program handles Ctrl+C and SIGTERM itself (StopSignals) and cancels the token given here.
            ProcessTerminationTimeout = null,
            // Exceptions reach RunAsync's one-line guard instead of a printed stack trace.
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Action is HelpAction)
        {
            // The generated usage line puts [options] after run's <command>; options go before the --.
            var help = new StringWriter();
            configuration.Output = help;
            int code = await parse.InvokeAsync(configuration, signals.Stop).ConfigureAwait(false);
            console.Out.Write(help.ToString().Replace("run <command>... [options]", "run [options] -- <command>...", StringComparison.Ordinal));
            return code;
        }

        return await parse.InvokeAsync(configuration, signals.Stop).ConfigureAwait(false);
    }
}
