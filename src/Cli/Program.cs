using TrackingProfiler.Cli;
using TrackingProfiler.Cli.Rendering;

return await CliApp.RunAsync(args, new SystemConsole()).ConfigureAwait(false);
