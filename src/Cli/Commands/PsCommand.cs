using System.CommandLine;
using System.Globalization;
using TrackingProfiler.Cli.Rendering;
using TrackingProfiler.Profiler.Reports;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.Cli.Commands;

/// <summary><c>ps</c>: the .NET processes that can be attached to.</summary>
internal static class PsCommand
{
    public static Command Create(IConsole console)
    {
        var command = new Command("ps", "List the .NET processes that dotnet-alloctrack can attach to.");
        command.SetAction(_ => CommandGuard.RunAsync(console, () =>
        {
            var table = new TextTable("PID", "Name", ".NET", "Command line");
            table.RightAligned.Add(0);
            foreach (var p in TargetProcess.ListAttachable())
            {
                if (p.ProcessId == Environment.ProcessId)
                {
                    continue;
                }

                table.AddRow(p.ProcessId.ToString(CultureInfo.InvariantCulture), p.Name, p.RuntimeVersion ?? "?", Truncate(p.CommandLine ?? string.Empty, 100));
            }

            var output = new System.Text.StringBuilder();
            table.WriteTo(output);
            console.Out.Write(output.ToString());
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
