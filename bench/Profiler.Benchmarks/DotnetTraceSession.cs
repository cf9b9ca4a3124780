using System.Diagnostics;
using System.Globalization;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// <c>dotnet-trace collect</c> attached to a process, run as the local tool bench/run-side-by-side.sh installs (its
/// directory holds the tool manifest). Ready once dotnet-trace prints its output file, which it does when the session
/// is running; disposing ends it and deletes the trace.
/// </summary>
internal sealed class DotnetTraceSession : IAsyncDisposable
{
    /// <summary>
    /// Microsoft-Windows-DotNETRuntime, AllocationSampling keyword (0x80000000000), Informational: the runtime event
    /// this tool samples with, and nothing else.
    /// </summary>
    public const string AllocationSampledProviders = "Microsoft-Windows-DotNETRuntime:0x80000000000:4";

    private readonly Process _process;
    private readonly string _output;

    private DotnetTraceSession(Process process, string output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>
    /// The CPU time dotnet-trace has spent so far. <c>dotnet tool run</c> starts the tool as a child process, so this
    /// is the CPU of the whole process tree (the host alone, as measured before 2026-11-25, read 0 ms).
    /// </summary>
    public TimeSpan ProcessorTime => ProcessCpuTime.ReadTree(_process.Id);

    public static async Task<DotnetTraceSession> AttachAsync(string toolDir, int pid, string providers)
    {
        string output = Path.Combine(Path.GetTempPath(), $"dotnet-trace-{pid}.nettrace");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = toolDir, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in new[] { "tool", "run", "dotnet-trace", "--", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--providers", providers, "-o", output })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var session = new DotnetTraceSession(process, output);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            // dotnet-trace prints the output file once the session is running.
            if (e.Data is not null && e.Data.Contains("Output File", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return session;
    }

    /// <summary>Waits for dotnet-trace to end by itself (it does when its target exits).</summary>
    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        // dotnet-trace waits for a key it cannot read from a redirected stdin: end it; the runtime closes the session
        // when its connection drops (the measurement is over by then).
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _process.Dispose();
        File.Delete(_output);
    }
}
