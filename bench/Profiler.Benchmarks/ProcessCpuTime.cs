using System.Globalization;
using System.Runtime.InteropServices;

namespace TrackingProfiler.Benchmarks;

/// <summary>
/// The CPU time a process has spent, all threads, user and system: utime + stime of /proc/&lt;pid&gt;/stat (Linux),
/// in clock ticks (usually 10 ms: measure windows of seconds, not milliseconds).
/// </summary>
internal static partial class ProcessCpuTime
{
    private const int ClockTicksPerSecondName = 2; // _SC_CLK_TCK
    private static readonly long s_ticksPerSecond = SystemConfiguration(ClockTicksPerSecondName);

    public static TimeSpan Read(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        // Index 0 is then field 3 (state), so utime (field 14) is index 11 and stime (field 15) index 12.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)s_ticksPerSecond);
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}
