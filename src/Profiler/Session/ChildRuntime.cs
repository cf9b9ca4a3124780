using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// A .NET program started as a child so that it can be traced from its first instruction: it starts paused before
/// <c>Main</c> on its default diagnostics endpoint, the caller starts its session, and the child is resumed whatever
/// happened (<see cref="StartTracing{T}"/>). Used by <c>demo</c>, the StdoutTracker example and the tests.
/// </summary>
public sealed class ChildRuntime : IDisposable
{
    private int _resumed;

    private ChildRuntime(Process process, TargetProcess target)
    {
        Process = process;
        Target = target;
        Client = new DiagnosticsClient(process.Id);
    }

    public Process Process { get; }

    public TargetProcess Target { get; }

    public DiagnosticsClient Client { get; }

    /// <summary>Starts <paramref name="info"/> paused and waits until its runtime answers on its endpoint.</summary>
    public static async Task<ChildRuntime> StartPausedAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancel)
    {
        EndpointFolder.EnsureExists();
        info.UseShellExecute = false;
        info.Environment["DOTNET_DefaultDiagnosticPortSuspend"] = "1";
        info.Environment.Remove("DOTNET_DiagnosticPorts");
        RefuseDisabledDiagnostics(info);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new ProfilerException(ProfilerErrorKind.LaunchFailed, $"Could not start '{info.FileName}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProfilerException(ProfilerErrorKind.LaunchFailed, $"Could not start '{info.FileName}': {e.Message}.", e);
        }

        try
        {
            var runtime = await DiagnosticEndpoint.WaitAsync(process, timeout, cancel).ConfigureAwait(false);
            var arguments = ProcessCommandLine.Read(process.Id);
            var target = new TargetProcess(process.Id, process.ProcessName, ProcessCommandLine.Display(arguments), runtime.Version) { Arguments = arguments };
            return new ChildRuntime(process, target);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A child that inherits diagnostics turned off opens no endpoint, runs unpaused, and could only be waited for until
    /// the timeout: say why at once. (Turning them back on for it would override a choice made for this environment.)
    /// </summary>
    private static void RefuseDisabledDiagnostics(ProcessStartInfo info)
    {
        foreach (string name in new[] { "DOTNET_EnableDiagnostics", "DOTNET_EnableDiagnostics_IPC", "COMPlus_EnableDiagnostics", "COMPlus_EnableDiagnostics_IPC" })
        {
            // The runtime reads these as hexadecimal numbers: "0", "00" turn diagnostics off.
            if (info.Environment.TryGetValue(name, out string? value) && value is not null
                && int.TryParse(value.Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int number) && number == 0)
            {
                throw new ProfilerException(ProfilerErrorKind.DiagnosticsDisabled, $"'{Path.GetFileName(info.FileName)}' would start with {name}={value} (set in this environment): its runtime would open no diagnostics endpoint to be traced through. Unset it for this command.");
            }
        }
    }

    /// <summary>Runs <paramref name="start"/> (start a session) on the paused child, then resumes it, also when <paramref name="start"/> fails.</summary>
    public T StartTracing<T>(Func<DiagnosticsClient, TargetProcess, T> start)
    {
        try
        {
            return start(Client, Target);
        }
        finally
        {
            Resume();
        }
    }

    /// <summary>Lets the child run; once only, and quietly when it is already gone.</summary>
    public void Resume()
    {
        if (Interlocked.Exchange(ref _resumed, 1) == 0)
        {
            try
            {
                Client.ResumeRuntime();
            }
            catch (Exception e) when (e is ServerNotAvailableException or IOException or DiagnosticsClientException or TimeoutException)
            {
                // It exited (or was killed) meanwhile: nothing is paused any more.
            }
        }
    }

    /// <summary>Resumes the child if it is still paused and kills it if it is still running.</summary>
    public void Dispose()
    {
        Resume();
        Stop(Process);
        Process.Dispose();
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
