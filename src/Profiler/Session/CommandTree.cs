using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TrackingProfiler.Profiler.Session;

/// <summary>
/// The processes of a launched command: every process whose environment carries the command's marker variable,
/// which all descendants inherit however deep, even after their parent exited (parent links do not survive that).
/// On Linux the environments are read from <c>/proc/&lt;pid&gt;/environ</c>; elsewhere only the direct child is known.
/// </summary>
public sealed partial class CommandTree(string markerName, string markerValue)
{
    private const int SigTerm = 15;
    private readonly byte[] _marker = Encoding.UTF8.GetBytes($"{markerName}={markerValue}\0");

    public string MarkerName { get; } = markerName;

    public string MarkerValue { get; } = markerValue;

    /// <summary>Whether <paramref name="pid"/> is of this command; null when its environment cannot be read (yet).</summary>
    public bool? Contains(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (!IsProcess(pid))
            {
                // /proc/<tid> of a thread shows its process's environment: a stale endpoint socket whose pid is now a
                // thread id of a process of ours must not look like a runtime of ours.
                return false;
            }

            byte[] environ = File.ReadAllBytes($"/proc/{pid}/environ");
            // Entries are NUL-terminated: match at the start, or right after a NUL, so that a longer name cannot match.
            int at = environ.AsSpan().IndexOf(_marker);
            while (at > 0 && environ[at - 1] != 0)
            {
                int next = environ.AsSpan(at + 1).IndexOf(_marker);
                at = next < 0 ? -1 : at + 1 + next;
            }

            return at >= 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return File.Exists($"/proc/{pid}/environ") ? false : null;
        }
    }

    /// <summary>The living processes of the command (empty where environments cannot be read).</summary>
    public IReadOnlyList<int> Members()
    {
        var members = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return members;
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out int pid) && pid != Environment.ProcessId && Contains(pid) == true)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Ends the command: SIGTERM to the child and every process of the tree, a grace period for them to exit (and
    /// remove their diagnostics sockets), then SIGKILL to whatever is left.
    /// </summary>
    public void Terminate(Process child, TimeSpan grace)
    {
        var pids = new HashSet<int>(Members());
        if (!HasExited(child))
        {
            pids.Add(child.Id);
        }

        if (OperatingSystem.IsWindows())
        {
            KillTree(child);
            return;
        }

        foreach (int pid in pids)
        {
            _ = SendSignal(pid, SigTerm); // ESRCH (already gone) is fine
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < grace && (pids.Any(IsAlive) || !HasExited(child)))
        {
            Thread.Sleep(20); // no signal tells when another process exits: poll, bounded by the grace period
        }

        foreach (int pid in pids.Where(IsAlive))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }

        KillTree(child);
    }

    private bool IsAlive(int pid) => Contains(pid) == true;

    /// <summary>
    /// Whether <paramref name="pid"/> names a living process (its thread-group leader), not another thread, and not a
    /// zombie: a process that has exited but that its parent has not reaped yet still has a /proc entry, with no memory
    /// maps and no environment, and would otherwise pass for a live process that is not .NET.
    /// </summary>
    internal static bool IsProcess(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            // "State:" comes before "Tgid:" in the file: Z (zombie) or X (dead).
            if (line.StartsWith("State:", StringComparison.Ordinal) && line.AsSpan(6).Trim() is [ 'Z' or 'X', ..])
            {
                return false;
            }

            if (line.StartsWith("Tgid:", StringComparison.Ordinal))
            {
                return int.TryParse(line.AsSpan(5).Trim(), out int tgid) && tgid == pid;
            }
        }

        return false;
    }

    private static bool HasExited(Process child)
    {
        try
        {
            return child.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static void KillTree(Process child)
    {
        try
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
