using System.Runtime.InteropServices;
using TrackingProfiler.Cli;
using TrackingProfiler.Cli.Rendering;

// Ctrl+C and SIGTERM stop the command through StopSignals, so that it stops the session and still writes its report;
// the process itself is not torn down meanwhile. A second signal cuts the wait for the session's last events short,
// and the report is still written; only a third one ends the process the default way.
using var signals = new StopSignals();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Receive);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Receive);
return await CliApp.RunAsync(args, new SystemConsole(), signals).ConfigureAwait(false);

void Receive(PosixSignalContext context) => context.Cancel = signals.Receive();
