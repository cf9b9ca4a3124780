using System.Diagnostics;

namespace TrackingProfiler.Profiler.Tests.Integration;

/// <summary>
/// The FreesTarget child process (tests/Targets/FreesTarget), driven through its line protocol: it prints its pid and
/// "WAITING", works after one line on stdin, prints "READY", and exits after another line.
/// </summary>
internal sealed class FreesTargetProcess : IDisposable
{
    private static readonly TimeSpan s_lineTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;

    private FreesTargetProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Lines the target printed (for failure messages).</summary>
    public List<string> Output { get; } = [];

    /// <summary>tests/Targets/FreesTarget, built through tests/TestSupport's project reference.</summary>
    public static string TargetPath => TrackingProfiler.TestSupport.TargetProgram.Locate("FreesTarget");

    /// <summary>Starts the target and waits for "WAITING": its runtime is up and its diagnostics port is open.</summary>
    public static async Task<FreesTargetProcess> StartAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(TargetPath);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var target = new FreesTargetProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
        await target.WaitForLineAsync("WAITING");
        return target;
    }

    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public async Task<string> WaitForLineAsync(string prefix)
    {
        using var cts = new CancellationTokenSource(s_lineTimeout);
        while (true)
        {
            string? line = await _process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"FreesTarget exited before '{prefix}'. Output:\n{string.Join('\n', Output)}");
            }

            Output.Add(line);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }

    public async Task<string> ReadToEndAsync()
    {
        using var cts = new CancellationTokenSource(s_lineTimeout);
        string rest = await _process.StandardOutput.ReadToEndAsync(cts.Token);
        await _process.WaitForExitAsync(cts.Token);
        return rest;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }

        _process.Dispose();
    }
}
