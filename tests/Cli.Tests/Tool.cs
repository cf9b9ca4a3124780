using System.Diagnostics;
using System.Text;
using TrackingProfiler.TestSupport;

namespace TrackingProfiler.Cli.Tests;

/// <summary>
/// The real executable (`dotnet dotnet-alloctrack.dll args`), for promises about the process itself: exit codes,
/// standard error, signals. Every process it starts, and their children, carry a <see cref="ProcessMarker"/>; disposing
/// kills the whole tree and whatever escaped it.
/// </summary>
internal sealed class Tool : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Tool(Process process, ProcessMarker marker)
    {
        _process = process;
        Marker = marker;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data, _outClosed);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data, _errorClosed);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ProcessMarker Marker { get; }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public string OutText
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    public string ErrorText
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>The environment every tool run gets: no inherited diagnostic port, no long-lived SDK servers.</summary>
    private static void Prepare(ProcessStartInfo info, ProcessMarker marker, IDictionary<string, string>? environment)
    {
        info.Environment.Remove("DOTNET_DiagnosticPorts");
        info.Environment[ProcessMarker.Variable] = marker.Value;

        // `run -- dotnet test` builds: without these, MSBuild nodes, the MSBuild server and the compiler server stay
        // alive after the command and outlive the test.
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
    }

    public static string Dll => typeof(CliApp).Assembly.Location;

    /// <summary>Starts the tool; it runs until it exits, <see cref="SignalAsync"/> or <see cref="Dispose"/>.</summary>
    public static Tool Start(IEnumerable<string> args, IDictionary<string, string>? environment = null, string? user = null, string? dll = null)
    {
        var marker = new ProcessMarker();
        ProcessStartInfo info;
        if (user is null)
        {
            info = new ProcessStartInfo("dotnet");
            info.ArgumentList.Add(dll ?? Dll);
        }
        else
        {
            // As another user (root only): runuser keeps the environment set below.
            info = new ProcessStartInfo("/usr/sbin/runuser");
            foreach (string arg in new[] { "-u", user, "--", "dotnet", dll ?? Dll })
            {
                info.ArgumentList.Add(arg);
            }
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Prepare(info, marker, environment);
        return new Tool(Process.Start(info)!, marker);
    }

    /// <summary>Runs the tool to its end and returns it (exit code and both outputs complete).</summary>
    public static async Task<Tool> RunAsync(params string[] args) => await RunAsync(args, environment: null).ConfigureAwait(false);

    public static async Task<Tool> RunAsync(IEnumerable<string> args, IDictionary<string, string>? environment, string? user = null, string? dll = null)
    {
        var tool = Start(args, environment, user, dll);
        try
        {
            await tool.WaitForExitAsync().ConfigureAwait(false);
            return tool;
        }
        catch
        {
            tool.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until the tool exits and its outputs are read. A process the command left behind may hold the pipes
    /// open: their end is awaited only briefly, and the failure names what outlived the tool.
    /// </summary>
    public async Task WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(s_timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the tool did not exit in {s_timeout.TotalMinutes} minutes; processes of its tree: {Describe(Marker.Survivors())}; stderr: {ErrorText}");
        }

        try
        {
            await Task.WhenAll(_outClosed.Task, _errorClosed.Task).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the tool exited but its output stayed open, held by: {Describe(Marker.Survivors())}");
        }
    }

    private static string Describe(IEnumerable<int> pids) => string.Join("; ", pids.Select(pid =>
    {
        try
        {
            return $"{pid} {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (IOException)
        {
            return $"{pid} (gone)";
        }
    }));

    /// <summary>Waits for a line of standard error containing <paramref name="text"/>: the signal that a phase began.</summary>
    public async Task WaitForErrorAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (!ErrorText.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited && _errorClosed.Task.IsCompleted && !ErrorText.Contains(text, StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"the tool exited ({_process.ExitCode}) without saying '{text}': {ErrorText}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the tool never said '{text}': {ErrorText}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a signal (TERM, INT) to the tool alone, the way a shell or a CI runner does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the tool's standard input. <c>run</c> passes its standard streams to the command: a command that runs
    /// until its input ends (tests/Targets/RequestsTarget) then ends on its own, cleanly.
    /// </summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for a line of standard output starting with <paramref name="prefix"/> (the command's, under <c>run</c>); returns the rest of it.</summary>
    public async Task<string> WaitForOutputLineAsync(string prefix)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string? line = OutText.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (line is not null)
            {
                return line[prefix.Length..];
            }

            if (_process.HasExited && _outClosed.Task.IsCompleted)
            {
                throw new Xunit.Sdk.XunitException($"the tool exited ({_process.ExitCode}) without printing '{prefix}': {ErrorText}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the tool never printed '{prefix}': {ErrorText}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Standard error as lines, without the empty last one.</summary>
    public string[] ErrorLines => ErrorText.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        Marker.KillSurvivors();
        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
        }
    }
}
