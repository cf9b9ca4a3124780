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
        root.Subcommands.Add(ReportCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(DemoWorkloadCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, IConsole console, CancellationToken cancel = default)
    {
        var root = CreateRoot(console);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                console.Error.WriteLine($"dotnet-alloctrack: {error.Message}");
            }

            console.Error.WriteLine("Run 'dotnet-alloctrack --help' for usage.");
            return ExitCodes.UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Program handles Ctrl+C and SIGTERM itself and cancels the token given here.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = true,
        };
        return await parse.InvokeAsync(configuration, cancel).ConfigureAwait(false);
    }
}
