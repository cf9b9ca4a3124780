namespace TrackingProfiler.Cli;

/// <summary>
/// Ctrl+C and SIGTERM as the commands see them. The first asks the command to stop: it stops the session, waits for
/// the runtime to flush its last events and writes the report. The second (an impatient user, or a CI runner that
/// signals twice) cuts that wait short: the report is still written, from what was gathered. A third is not
/// intercepted, so a tool stuck anyway can still be ended from the keyboard.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _hurry = new();
    private int _received;

    public StopSignals(CancellationToken stop = default) => _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);

    /// <summary>Cancelled by the first signal: stop, and write the report.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled by the second signal: stop waiting for the session's last events.</summary>
    public CancellationToken Hurry => _hurry.Token;

    /// <summary>Records a signal; false when it is not handled here (the third and later), so its default action ends the process.</summary>
    public bool Receive()
    {
        switch (Interlocked.Increment(ref _received))
        {
            case 1:
                _stop.Cancel();
                return true;
            case 2:
                _hurry.Cancel();
                return true;
            default:
                return false;
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _hurry.Dispose();
    }
}
