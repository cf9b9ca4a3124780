using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Benchmarks;

/// <summary>Starts bench/OverheadTarget and reads its throughput.</summary>
internal sealed class OverheadTargetProcess : IDisposable
{
    private readonly Process _process;

    public OverheadTargetProcess(string workload, double seconds, int perEntry = 64)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(FindTarget());
        info.ArgumentList.Add(workload);
        info.ArgumentList.Add(seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(perEntry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process = Process.Start(info)!;
        if (_process.StandardOutput.ReadLine() != "READY")
        {
            throw new InvalidOperationException("OverheadTarget did not start.");
        }
    }

    public int Id => _process.Id;

    /// <summary>The target's CPU time (all threads, since its start) per operation, from its last run.</summary>
    public double CpuMicrosecondsPerOperation { get; private set; }

    public async Task WaitForEndpointAsync()
    {
        while (!DiagnosticsClient.GetPublishedProcesses().Contains(_process.Id))
        {
            await Task.Delay(20);
        }
    }

    public async Task<double> RunAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync();
        string? line;
        while ((line = await _process.StandardOutput.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("CPU_US_PER_OPERATION ", StringComparison.Ordinal))
            {
                CpuMicrosecondsPerOperation = double.Parse(line["CPU_US_PER_OPERATION ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            if (line.StartsWith("OPS_PER_SECOND ", StringComparison.Ordinal))
            {
                await _process.WaitForExitAsync();
                return double.Parse(line["OPS_PER_SECOND ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("OverheadTarget printed no result.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string FindTarget()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            string candidate = Path.Combine(dir, "bench", "OverheadTarget", "bin", "Release", "net10.0", "OverheadTarget.dll");
            string debug = candidate.Replace(Path.Combine("bin", "Release"), Path.Combine("bin", "Debug"), StringComparison.Ordinal);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(debug))
            {
                return debug;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new FileNotFoundException("Build bench/OverheadTarget first (dotnet build -c Release bench/Profiler.Benchmarks).");
    }
}
