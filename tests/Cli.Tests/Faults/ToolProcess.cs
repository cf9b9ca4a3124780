using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TrackingProfiler.Cli.Tests.Faults;

/// <summary>The built executable (`dotnet dotnet-alloctrack.dll args`) as a real child process, as a user or CI runs it.</summary>
internal sealed class ToolProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string Stdout => Read(_stdout);

    public string Stderr => Read(_stderr);

    /// <summary>Starts the tool; with <paramref name="asUser"/>, through setpriv as that user and group nogroup (the caller checks it is root).</summary>
    public static ToolProcess Start(IEnumerable<string> args, string? asUser = null, string? dll = null)
    {
        var info = new ProcessStartInfo(asUser is null ? "dotnet" : "setpriv")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (asUser is not null)
        {
            foreach (string arg in new[] { $"--reuid={asUser}", "--regid=nogroup", "--clear-groups", "dotnet" })
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["HOME"] = Path.GetTempPath();
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        info.ArgumentList.Add(dll ?? typeof(CliApp).Assembly.Location);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DOTNET_DiagnosticPorts");
        return new ToolProcess(Process.Start(info)!);
    }

    public async Task WaitForStderrAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (!Stderr.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the tool exited ({_process.ExitCode}) before saying '{text}': {Stderr}");
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the tool never said '{text}': {Stderr}");
            await Task.Delay(20);
        }
    }

    /// <summary>Sends a signal the way a terminal or CI runner does, through kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-s", signal, Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _process.WaitForExit(); // drains the redirected streams
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
