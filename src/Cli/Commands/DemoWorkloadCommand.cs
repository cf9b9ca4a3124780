using System.CommandLine;
using TrackingProfiler.Cli.Demo;

namespace TrackingProfiler.Cli.Commands;

/// <summary>Hidden: the demo's target process. Waits for a line on stdin so the profiler sees every group change.</summary>
internal static class DemoWorkloadCommand
{
    public const string Name = "demo-workload";

    /// <summary>What the workload prints when it is done, in <c>--hold</c> mode.</summary>
    public const string DoneLine = "done";

    public static Command Create()
    {
        var seconds = new Option<double>("--seconds")
        {
            DefaultValueFactory = _ => 10,
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (double.TryParse(text, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out double value)
                    && value > 0 && value <= CommonOptions.MaxDuration.TotalSeconds)
                {
                    return value;
                }

                result.AddError($"--seconds '{text}' must be a number of seconds above 0, up to {CommonOptions.MaxDuration.TotalDays:0} days.");
                return 10;
            },
        };
        var hold = new Option<bool>("--hold") { Description = "When done, print 'done' and wait for stdin to close (so a session can be stopped, and its rundown sent, while the process lives)." };
        var command = new Command(Name, "Runs the demo's workload (used by 'demo').") { seconds, hold };
        command.Hidden = true;
        command.SetAction(async (parse, cancel) =>
        {
            await Console.In.ReadLineAsync(cancel).ConfigureAwait(false);
            await DemoWorkload.RunAsync(TimeSpan.FromSeconds(parse.GetValue(seconds)), cancel).ConfigureAwait(false);

            // Exact totals arrive in periodic publications, and neither stopping the session nor the process exiting
            // publishes any that reaches it: live one totals interval longer, so the last one covers the work.
            await Task.Delay(300, CancellationToken.None).ConfigureAwait(false);
            if (parse.GetValue(hold))
            {
                Console.WriteLine(DoneLine);
                Console.Out.Flush();
                while (await Console.In.ReadLineAsync(cancel).ConfigureAwait(false) is not null)
                {
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
