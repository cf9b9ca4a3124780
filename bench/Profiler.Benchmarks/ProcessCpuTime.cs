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

    public static TimeSpan Read(int pid) => Read(pid, withEndedChildren: false);

    private static TimeSpan Read(int pid, bool withEndedChildren)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        // Index 0 is then field 3 (state), so utime (field 14) is index 11 and stime (field 15) index 12.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        if (withEndedChildren)
        {
            // cutime and cstime (fields 16 and 17): the children that ended and were waited for.
            ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromSeconds(ticks / (double)s_ticksPerSecond);
    }

    /// <summary>
    /// The CPU time of a process and all its descendants: those running, and those that ended (counted in their
    /// parent's cutime/cstime once it waited for them), so the figure does not drop when a child exits.
    /// </summary>
    public static TimeSpan ReadTree(int pid)
    {
        try
        {
            var total = Read(pid, withEndedChildren: true);
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    total += ReadTree(int.Parse(child, CultureInfo.InvariantCulture));
                }
            }

            return total;
        }
        catch (IOException)
        {
            return TimeSpan.Zero; // ended while read (DirectoryNotFound and FileNotFound are IOExceptions)
        }
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SystemConfiguration(int name);
}
