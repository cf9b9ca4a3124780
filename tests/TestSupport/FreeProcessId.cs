namespace TrackingProfiler.TestSupport;

/// <summary>A process id that no process has, for "no such process" tests.</summary>
public static class FreeProcessId
{
    /// <summary>
    /// The highest free id below the kernel's <c>pid_max</c>. Linux hands out ids in increasing order and wraps only at
    /// <c>pid_max</c>, so the top of the range is the last to be reused: a fixed guess such as 999999 can be a live
    /// process where <c>pid_max</c> is 4194304, this cannot (unless the machine has wrapped right up to it).
    /// </summary>
    public static int Find()
    {
        int max = File.Exists("/proc/sys/kernel/pid_max") ? int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture) : 32768;
        for (int pid = max - 1; pid > 1; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }

        throw new InvalidOperationException("Every process id is in use.");
    }
}
