using System.Diagnostics;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.TestSupport;

/// <summary>A program under tests/Targets, started as a real child process (`dotnet Target.dll args`).</summary>
public sealed class TargetProgram : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TargetProgram(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
            }

            if (e.Data == "READY")
            {
                _ready.TrySetResult();
            }
        };
        _process.BeginOutputReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts tests/Targets/<paramref name="name"/> and waits for its READY line.</summary>
    public static async Task<TargetProgram> StartAsync(string name, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Locate(name));
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DOTNET_DiagnosticPorts");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var target = new TargetProgram(Process.Start(info)!);
        await target._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return target;
    }

    /// <summary>The path of a target's built dll, found by walking up from the test assembly to the repository.</summary>
    public static string Locate(string name) => LocateIn(Path.Combine("tests", "Targets"), name);

    /// <summary>The path of an example's built dll (examples/NAME).</summary>
    public static string LocateExample(string name) => LocateIn("examples", name);

    private static string LocateIn(string folder, string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            foreach (string configuration in new[] { "Debug", "Release" })
            {
                string candidate = Path.Combine(dir, folder, name, "bin", configuration, "net10.0", name + ".dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new FileNotFoundException($"{folder}/{name} is not built.");
    }

    /// <summary>Waits until the target's diagnostics endpoint is published (it can be attached to).</summary>
    public async Task WaitForEndpointAsync()
    {
        var clock = Stopwatch.StartNew();
        while (!DiagnosticsClient.GetPublishedProcesses().Contains(Id))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("The target never published its diagnostics endpoint.");
            }

            await Task.Delay(20);
        }
    }

    public async Task SendLineAsync(string line = "go")
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    public async Task WaitForExitAsync() => await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Waits until the target printed a line starting with <paramref name="prefix"/>.</summary>
    public async Task WaitForLineAsync(string prefix, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            lock (_lines)
            {
                if (_lines.Any(l => l.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    return;
                }
            }

            if (_process.HasExited || clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"The target never printed '{prefix}'.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The ground truth the target printed (TRUTH {json}), by group name.</summary>
    public Dictionary<string, long> Truth()
    {
        lock (_lines)
        {
            string line = _lines.Single(l => l.StartsWith("TRUTH ", StringComparison.Ordinal));
            return JsonSerializer.Deserialize<Dictionary<string, long>>(line["TRUTH ".Length..])!;
        }
    }

    /// <summary>The rest of the first line the target printed that starts with <paramref name="prefix"/>, or null.</summary>
    public string? LineAfter(string prefix)
    {
        lock (_lines)
        {
            return _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }
    }

    /// <summary>Waits until the target prints a line starting with <paramref name="prefix"/>; returns the rest of it.</summary>
    public async Task<string> WaitForLineStartingAsync(string prefix, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        string? rest;
        while ((rest = LineAfter(prefix)) is null)
        {
            if (_process.HasExited || clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"The target never printed '{prefix}'.");
            }

            await Task.Delay(20);
        }

        return rest;
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
}
