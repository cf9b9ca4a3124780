namespace TrackingProfiler.TestSupport;

/// <summary>
/// Tags every process a test starts, directly or through any depth of children (an SDK command's MSBuild nodes, the
/// compiler server, a test host), with an environment variable, so the test can find and end the ones that outlive
/// it: they are re-parented to init once their parent exits, and a process tree no longer reaches them.
/// </summary>
public sealed class ProcessMarker
{
    public const string Variable = "TRACKINGPROFILER_TEST_MARKER";

    public string Value { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The processes still alive that carry this marker (read from <c>/proc/N/environ</c>).</summary>
    public IReadOnlyList<int> Survivors()
    {
        string needle = $"{Variable}={Value}";
        var found = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                string environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Split('\0').Contains(needle))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read: not one of ours.
            }
        }

        return found;
    }

    /// <summary>Kills every surviving marked process; returns their ids (empty when the test left nothing behind).</summary>
    public IReadOnlyList<int> KillSurvivors()
    {
        var survivors = Survivors();
        foreach (int pid in survivors)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        return survivors;
    }
}
