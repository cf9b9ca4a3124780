namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// Decides <c>--group-by auto</c> before the session starts (the providers depend on it): does the target use the
/// Grouping library, does it run ASP.NET Core? On Linux the assemblies a running process has loaded are mapped files
/// listed in <c>/proc/PID/maps</c>; a process paused before Main (run) has loaded nothing yet, so its
/// <c>.deps.json</c> and <c>.runtimeconfig.json</c> (found from its command line) say what it references.
/// </summary>
public static class TargetAppInspector
{
    public const string GroupingAssembly = "TrackingProfiler.Grouping";
    public const string AspNetCoreMarker = "Microsoft.AspNetCore";

    public static GroupByChoice Resolve(GroupByMode requested, TargetProcess target, bool pausedBeforeMain)
    {
        if (requested != GroupByMode.Auto)
        {
            return new GroupByChoice(requested, $"asked with --group-by {requested.ToString().ToLowerInvariant()}");
        }

        // What is loaded is the best evidence, but a library is loaded only when first used: the manifests add what is referenced.
        var (loaded, loadedWhere) = pausedBeforeMain ? (null, null) : LoadedAssemblies(target.ProcessId);
        var (declared, declaredWhere) = AppManifests(target);
        string? text = loaded is null && declared is null ? null : loaded + "\n" + declared;
        string where = string.Join(", ", new[] { loadedWhere, declaredWhere }.Where(w => w is not null));
        if (text is null)
        {
            return new GroupByChoice(GroupByMode.Groups, "auto: could not read what the target loads or references; --group-by requests|activities groups an app without the Grouping library");
        }

        if (text.Contains(GroupingAssembly, StringComparison.OrdinalIgnoreCase))
        {
            return new GroupByChoice(GroupByMode.Groups, $"auto: the target uses {GroupingAssembly} ({where})");
        }

        if (text.Contains(AspNetCoreMarker, StringComparison.OrdinalIgnoreCase))
        {
            return new GroupByChoice(GroupByMode.Requests, $"auto: ASP.NET Core is in the target ({where}) and {GroupingAssembly} is not: one group per endpoint");
        }

        return new GroupByChoice(GroupByMode.Activities, $"auto: neither {GroupingAssembly} nor ASP.NET Core is in the target ({where}): one group per Activity");
    }

    private static (string? Text, string? Where) LoadedAssemblies(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, null);
        }

        try
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in File.ReadLines($"/proc/{pid}/maps"))
            {
                int at = line.IndexOf('/', StringComparison.Ordinal);
                if (at >= 0 && line.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    names.Add(Path.GetFileName(line[at..]));
                }
            }

            // A framework-dependent app always maps System.Private.CoreLib.dll; without it the list says nothing (single-file, R2R composite).
            return names.Contains("System.Private.CoreLib.dll") ? (string.Join('\n', names), "loaded assemblies") : (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static (string? Text, string? Where) AppManifests(TargetProcess target)
    {
        var words = (target.CommandLine ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? deps = ValueAfter(words, "--depsfile");
        string? runtimeConfig = ValueAfter(words, "--runtimeconfig");
        string? main = words.FirstOrDefault(w => w.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) ?? words.FirstOrDefault();
        if (main is not null)
        {
            string stem = main.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? main[..^4] : main;
            deps ??= stem + ".deps.json";
            runtimeConfig ??= stem + ".runtimeconfig.json";
        }

        var text = new List<string>();
        var found = new List<string>();
        foreach (string? file in new[] { deps, runtimeConfig })
        {
            if (file is not null && Resolve(target.ProcessId, file) is { } path && File.Exists(path))
            {
                try
                {
                    text.Add(File.ReadAllText(path));
                    found.Add(Path.GetFileName(path));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }

        return text.Count == 0 ? (null, null) : (string.Join('\n', text), string.Join(", ", found));
    }

    private static string? ValueAfter(string[] words, string option)
    {
        int at = Array.IndexOf(words, option);
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : null;
    }

    private static string? Resolve(int pid, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        try
        {
            // A relative path is relative to the target's working directory, not ours.
            string? cwd = OperatingSystem.IsLinux() ? new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget : null;
            return cwd is null ? null : Path.Combine(cwd, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
