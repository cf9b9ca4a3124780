using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Diagnostics.NETCore.Client;

namespace TrackingProfiler.Profiler.Session;

/// <summary>What the profiler can learn about a process before tracing it.</summary>
public sealed partial record TargetProcess(int ProcessId, string Name, string? CommandLine, string? RuntimeVersion)
{
    /// <summary>The arguments the process was started with (the program first); empty when unreadable.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The runtime's major version, when the runtime told it (or its path did).</summary>
    public int? RuntimeMajorVersion =>
        RuntimeVersion is not null && int.TryParse(RuntimeVersion.Split('.')[0], out int major) ? major : null;

    /// <summary>Processes with a diagnostics endpoint (what <c>ps</c> lists), sorted by id.</summary>
    public static IReadOnlyList<TargetProcess> ListAttachable()
    {
        EndpointFolder.EnsureExists();
        var list = new List<TargetProcess>();
        foreach (int pid in DiagnosticsClient.GetPublishedProcesses().Distinct().Order())
        {
            if (TryDescribe(pid) is { } target)
            {
                list.Add(target);
            }
        }

        return list;
    }

    /// <summary>Whether the process answers to <paramref name="name"/>: its process name, or the file name (without extension) of its program or of its first argument (the app of <c>dotnet app.dll</c>).</summary>
    public bool IsNamed(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase)
        || Arguments.Take(2).Any(a => string.Equals(Path.GetFileNameWithoutExtension(a), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Describes a running process, or null if there is none with that id.</summary>
    public static TargetProcess? TryDescribe(int pid)
    {
        try
        {
            if (pid <= 0)
            {
                return null; // 0 and negative ids name process groups for kill(2), never a process to attach to
            }

            if (OperatingSystem.IsLinux() && !CommandTree.IsProcess(pid))
            {
                // A stale endpoint socket keeps a dead process's pid, which may now be a thread id of a live process:
                // /proc/<tid> would describe that process again, a phantom twin in 'ps' and in --name lookups. A zombie
                // has exited: a target killed while its session started must read as exited, not as "not .NET".
                return null;
            }

            using var process = Process.GetProcessById(pid);
            var arguments = ProcessCommandLine.Read(pid);
            return new TargetProcess(pid, process.ProcessName, ProcessCommandLine.Display(arguments), ProbeRuntimeVersion(pid)) { Arguments = arguments };
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // /proc/<pid>/status gone or unreadable: no process to describe
        }
    }

    /// <summary>Finds the process to attach to by name (process name or file name of its main module), failing clearly on none or several.</summary>
    public static TargetProcess FindByName(string name)
    {
        var matches = ListAttachable().Where(p => p.IsNamed(name)).ToList();
        return matches.Count switch
        {
            0 => throw new ProfilerException(ProfilerErrorKind.NoSuchProcess, $"No attachable .NET process is named '{name}'. Run 'dotnet-alloctrack ps' to list them."),
            1 => matches[0],
            _ => throw new ProfilerException(ProfilerErrorKind.Usage, $"{matches.Count} processes are named '{name}' (ids {string.Join(", ", matches.Select(m => m.ProcessId))}); choose one with --process-id."),
        };
    }

    /// <summary>
    /// The runtime's version, asked of the runtime itself over its diagnostics endpoint (ProcessInfo2), which also
    /// works for self-contained apps; failing that, read from the path of the loaded runtime library
    /// (…/Microsoft.NETCore.App/10.0.12/libcoreclr.so). Null when the process is not .NET or cannot be asked.
    /// </summary>
    public static string? ProbeRuntimeVersion(int pid)
    {
        if (RuntimeInfo.TryRead(pid)?.Version is { } version)
        {
            return version;
        }

        string? path = FindCoreClrPath(pid);
        if (path is null)
        {
            return null;
        }

        var match = VersionInPath().Match(path);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>Whether the process has loaded CoreCLR; null when that cannot be read (permissions).</summary>
    public static bool? HasCoreClr(int pid)
    {
        try
        {
            return FindCoreClrPath(pid, throwOnDenied: true) is not null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindCoreClrPath(int pid, bool throwOnDenied = false)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                // /proc/<pid>/maps is cheaper than Process.Modules and works for every process we may read.
                foreach (string line in File.ReadLines($"/proc/{pid}/maps"))
                {
                    int at = line.IndexOf('/', StringComparison.Ordinal);
                    if (at >= 0 && line.EndsWith("libcoreclr.so", StringComparison.Ordinal))
                    {
                        return line[at..];
                    }
                }

                return null;
            }

            using var process = Process.GetProcessById(pid);
            foreach (ProcessModule module in process.Modules)
            {
                if (module.ModuleName is "coreclr.dll" or "libcoreclr.so" or "libcoreclr.dylib")
                {
                    return module.FileName;
                }
            }

            return null;
        }
        catch (UnauthorizedAccessException) when (throwOnDenied)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"Microsoft\.NETCore\.App[/\\](\d+\.\d+\.\d+[^/\\]*)[/\\]")]
    private static partial Regex VersionInPath();
}
