using System.CommandLine;
using TrackingProfiler.Cli.Commands;
using TrackingProfiler.Cli.Rendering;

namespace TrackingProfiler.Cli;

/// <summary>The command tree and its invocation: the one entry point for Program and for tests.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot(IConsole console)
    {
        var root = new RootCommand("dotnet-alloctrack: which part of my program allocates, and keeps, this memory? Allocations per allocation group, over EventPipe.");
        root.Subcommands.Add(PsCommand.Create(console));
        root.Subcommands.Add(AttachCommand.Create(console));
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(DemoWorkloadCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IConsole console, CancellationToken cancel = default)
    {
        try
        {
            return await ParseAndInvokeAsync(args, console, cancel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug that escaped every command's guard (or the parser itself): still one line and the documented code,
            // never System.CommandLine's stack trace.
            return CommandGuard.Fail(console, $"internal error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}). Please report it.", ExitCodes.InternalError);
        }
    }

    private static async Task<int> ParseAndInvokeAsync(string[] args, IConsole console, CancellationToken cancel)
    {
        var root = CreateRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line, as every expected failure: all parse errors joined, then where to find the usage.
            string errors = string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')).Distinct());
            console.Error.WriteLine($"dotnet-alloctrack: {errors}. Run 'dotnet-alloctrack --help' for usage.");
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Program handles Ctrl+C and SIGTERM itself and cancels the token given here.
            ProcessTerminationTimeout = null,
            // Exceptions reach RunAsync's one-line guard instead of a printed stack trace.
            EnableDefaultExceptionHandler = false,
        };
        return await parse.InvokeAsync(configuration, cancel).ConfigureAwait(false);
    }
}
