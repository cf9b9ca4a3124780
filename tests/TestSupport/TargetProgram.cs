using System.Diagnostics;
using System.Text.Json;
using TrackingProfiler.Profiler.Session;

namespace TrackingProfiler.TestSupport;

/// <summary>A program under tests/Targets, started as a real child process (`dotnet Target.dll args`).</summary>
public sealed class TargetProgram : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _linkDirectory;

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

    /// <summary>
    /// The name the process is known by to <c>ps</c> and <c>--name</c>: the target's name, or a unique one when started
    /// with <c>uniqueName</c>.
    /// </summary>
    public string Name { get; private init; } = string.Empty;

    /// <summary>Starts tests/Targets/<paramref name="name"/> and waits for its READY line.</summary>
    /// <param name="uniqueName">
    /// Run it under a name no other process has (a symbolic link <c>NAME-xxxxxxxx.dll</c> to the build), so that a
    /// <c>--name</c> lookup cannot find a leftover process of another test run.
    /// </param>
    public static async Task<TargetProgram> StartAsync(string name, IEnumerable<string> args, IDictionary<string, string>? environment = null, bool uniqueName = false)
    {
        string dll = Locate(name);
        string? linkDirectory = null;
        string processName = name;
        if (uniqueName)
        {
            linkDirectory = Directory.CreateTempSubdirectory("alloctrack-target").FullName;
            processName = name + "-" + Guid.NewGuid().ToString("N")[..8];
            string link = Path.Combine(linkDirectory, processName + ".dll");
            File.CreateSymbolicLink(link, dll); // the host resolves the link: runtimeconfig and dependencies are found
            dll = link;
        }

        var info = new ProcessStartInfo("dotnet");
        info.ArgumentList.Add(dll);
        return await StartAsync(info, args, environment, processName, linkDirectory);
    }

    /// <summary>
    /// Starts tests/Targets/<paramref name="name"/> built self-contained for <paramref name="targetFramework"/> (net8.0,
    /// net9.0; see <see cref="SelfContainedTarget"/>) and waits for its READY line.
    /// </summary>
    public static async Task<TargetProgram> StartSelfContainedAsync(string name, string targetFramework, IEnumerable<string> args) =>
        await StartAsync(new ProcessStartInfo(SelfContainedTarget.Locate(targetFramework, name)), args, environment: null, name, linkDirectory: null);

    private static async Task<TargetProgram> StartAsync(ProcessStartInfo info, IEnumerable<string> args, IDictionary<string, string>? environment, string processName, string? linkDirectory)
    {
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("DOTNET_DiagnosticPorts");
        info.Environment.Remove("DOTNET_DefaultDiagnosticPortSuspend");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var target = new TargetProgram(Process.Start(info)!) { Name = processName, _linkDirectory = linkDirectory };
        try
        {
            await target._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            target.Dispose();
            throw;
        }

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
            var builds = new[] { "Debug", "Release" }
                .Select(configuration => (configuration, path: Path.Combine(dir, folder, name, "bin", configuration, "net10.0", name + ".dll")))
                .Where(b => File.Exists(b.path))
                .ToList();
            if (builds.Count > 0)
            {
                // The build of the test's own configuration is the one `dotnet test -c X` just built; a leftover build
                // of the other configuration may be stale. Failing that, the newest.
                return builds.FirstOrDefault(b => b.configuration == OwnConfiguration).path
                    ?? builds.OrderByDescending(b => File.GetLastWriteTimeUtc(b.path)).First().path;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new FileNotFoundException($"{folder}/{name} is not built.");
    }

    /// <summary>The configuration the running test assembly was built in: the folder after <c>bin</c> in its path.</summary>
    public static string? OwnConfiguration
    {
        get
        {
            string[] parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            int bin = Array.LastIndexOf(parts, "bin");
            return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : null;
        }
    }

    /// <summary>Waits until the target's diagnostics endpoint answers (it can be attached to).</summary>
    public async Task WaitForEndpointAsync() =>
        await DiagnosticEndpoint.WaitAsync(_process, TimeSpan.FromSeconds(30), CancellationToken.None);

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
        // The targets end when their input closes: a clean exit removes the diagnostics socket, which a kill leaves
        // behind in the temp dir (stale sockets whose pids get reused are what other tools then trip over).
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        if (!_process.HasExited && !_process.WaitForExit(2_000))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        if (_linkDirectory is not null)
        {
            Directory.Delete(_linkDirectory, recursive: true);
        }
    }
}
