using System.Runtime.InteropServices;
using TrackingProfiler.Cli;
using TrackingProfiler.Cli.Rendering;

// Ctrl+C and SIGTERM stop the command through its cancellation token, so that it stops the session and still writes
// its report; the process itself is not torn down meanwhile. A second signal is not intercepted: it ends the process.
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return await CliApp.RunAsync(args, new SystemConsole(), stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
