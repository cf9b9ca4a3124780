using System.CommandLine;
using TrackingProfiler.Cli.Demo;

namespace TrackingProfiler.Cli.Commands;

/// <summary>Hidden: the demo's target process. Waits for a line on stdin so the profiler sees every group change.</summary>
internal static class DemoWorkloadCommand
{
    public const string Name = "demo-workload";

    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { DefaultValueFactory = _ => 10 };
        var command = new Command(Name, "Runs the demo's workload (used by 'demo').") { seconds };
        command.Hidden = true;
        command.SetAction(async (parse, cancel) =>
        {
            await Console.In.ReadLineAsync(cancel).ConfigureAwait(false);
            await DemoWorkload.RunAsync(TimeSpan.FromSeconds(parse.GetValue(seconds)), cancel).ConfigureAwait(false);

            // Totals written while a process exits never reach the session: live one totals interval longer.
            await Task.Delay(300, CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
