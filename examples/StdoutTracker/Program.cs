// The crate's `stdout` example, reborn: a tracker that prints every attributed allocation as it arrives.
//
// In tracking-allocator, you install a global allocator and an `AllocationTracker` that the allocator calls on every
// allocation. In .NET the allocator is the runtime's GC, and the calls arrive out of process, over EventPipe: so this
// program plays both parts. Run without arguments, it is the *profiler*: it starts itself again as the *workload*,
// attaches to it, and prints what it sees. Run with `workload`, it is the workload.
//
//   dotnet run --project examples/StdoutTracker
using System.Diagnostics;
using Microsoft.Diagnostics.NETCore.Client;
using TrackingProfiler.Grouping;
using TrackingProfiler.Profiler.Events;
using TrackingProfiler.Profiler.Session;
using TrackingProfiler.Profiler.Tracking;

if (args.Length > 0 && args[0] == "workload")
{
    return Workload.Run();
}

// 1. Start the workload as a child process. It waits for a line on stdin so that we attach before it allocates.
var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, UseShellExecute = false };
info.ArgumentList.Add(typeof(StdoutAllocationTracker).Assembly.Location);
info.ArgumentList.Add("workload");
using var child = Process.Start(info)!;
while (!DiagnosticsClient.GetPublishedProcesses().Contains(child.Id))
{
    await Task.Delay(20);
}

// 2. Attach: a session with our tracker next to the built-in per-group aggregation. The workload has entered no
//    group yet, so every group starts at zero (hence SessionStart.BeforeFirstInstruction).
var target = TargetProcess.TryDescribe(child.Id)!;
var tracker = new StdoutAllocationTracker();
await using var session = ProfilingSession.Start(target, new SessionOptions { TotalsIntervalMs = 100 }, [tracker], SessionStart.BeforeFirstInstruction);
await Task.Delay(300); // let the group names (the rundown) arrive

// 3. Let the workload run, and wait for it to finish: the session ends with it.
await child.StandardInput.WriteLineAsync("go");
await child.WaitForExitAsync();
await session.Completion;

// 4. The same figures, aggregated: what `dotnet-alloctrack` prints.
Console.WriteLine();
foreach (var group in session.Aggregation.Snapshot(child.Id))
{
    Console.WriteLine($"{group.Name,-12} exact {group.AllocatedBytes?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "—",12} B   estimated {group.EstimatedBytes,12:N0} B from {group.Samples} samples");
}

return 0;

/// <summary>
/// The tracker: the analog of the crate's `StdoutTracker`. It runs in this (the profiler's) process on the
/// event-processing thread, so unlike the crate's it may allocate and print freely: there is no reentrancy.
/// </summary>
internal sealed class StdoutAllocationTracker : IAllocationTracker
{
    private readonly Dictionary<int, string> _names = new() { [GroupIds.Root] = "root", [GroupIds.ForeignActivity] = "foreign activity", [GroupIds.Overflow] = "over the cap" };

    public void GroupRegistered(in GroupInfo group) => _names[group.Id] = group.Name;

    // A sampled allocation: about one per 100 KB allocated, weighted to stand for the bytes around it.
    public void Allocated(in AttributedAllocation a) =>
        Console.WriteLine($"allocation: group={Name(a.GroupId)} type={a.TypeName} size={a.ObjectSize} B stands-for={a.Weight:N0} B thread={a.ThreadId}");

    // Exact bytes: the workload's own running total for a group (published about once a second, and at exit),
    // less what the group had before the session.
    public void ExactBytesUpdated(in ExactBytesUpdate update) =>
        Console.WriteLine($"exact:      group={Name(update.GroupId)} bytes={update.Bytes:N0} so far");

    private string Name(int id) => _names.TryGetValue(id, out string? name) ? name : $"group {id}";
}

/// <summary>The workload: two groups, one of them nested, some work on the thread pool.</summary>
internal static class Workload
{
    private static readonly AllocationGroupToken s_outer = AllocationGroupToken.Register("outer");
    private static readonly AllocationGroupToken s_inner = AllocationGroupToken.Register("inner", ("nested", "yes"));

    public static int Run()
    {
        Console.ReadLine();
        object? sink = null;
        using (s_outer.Enter())
        {
            for (int i = 0; i < 20; i++)
            {
                sink = new byte[50_000];
            }

            using (s_inner.Enter())
            {
                // The group flows into the thread pool.
                Task.Run(() =>
                {
                    for (int i = 0; i < 10; i++)
                    {
                        sink = new string('x', 20_000);
                    }
                }).Wait();
            }
        }

        GC.KeepAlive(sink);

        // Exact totals travel in periodic publications (every 100 ms here), and none written while the process exits
        // reaches the profiler (the runtime has turned the source off by then): live one interval longer.
        Thread.Sleep(300);
        return 0;
    }
}
