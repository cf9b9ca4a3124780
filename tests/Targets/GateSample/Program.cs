// A deterministic sample app for the run command and the CI gate tests.
//   GateSample [--extra] [--exit N] [--spawn-child]
//   GateSample --crash     allocate in "parse", then die of an unhandled exception
//   GateSample --idle      print READY and wait until stdin closes (a process only the CLI tests start, to find by name)
// "parse" and "render" allocate fixed amounts; --extra adds 1 MB to "render" only. It prints TRUTH {json} with the
// bytes each group's code allocated (measured on the thread around each segment). --spawn-child also runs a second
// .NET process (this app with --child) and waits for it, like a test platform starting a test host.
using System.Diagnostics;
using System.Text.Json;
using TrackingProfiler.Grouping;

var parse = AllocationGroupToken.Register("parse");
var render = AllocationGroupToken.Register("render");
bool extra = args.Contains("--extra");
int exitCode = args.SkipWhile(a => a != "--exit").Skip(1).Select(int.Parse).FirstOrDefault();

if (args.Contains("--idle"))
{
    Console.WriteLine("READY");
    while (Console.In.ReadLine() is not null)
    {
    }

    return 0;
}

if (args.Contains("--spawn-child"))
{
    var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
    {
        info.ArgumentList.Add(typeof(AllocationGroupToken).Assembly.Location.Replace("TrackingProfiler.Grouping.dll", "GateSample.dll", StringComparison.Ordinal));
    }

    info.ArgumentList.Add("--child");
    using var child = Process.Start(info)!;
    child.WaitForExit();
}

object? sink = null;
long parseTruth = 0, renderTruth = 0;
using (parse.Enter())
{
    for (int i = 0; i < 200; i++)
    {
        parseTruth += Measure(() => sink = new byte[10_000]);
    }
}

if (args.Contains("--crash"))
{
    throw new InvalidOperationException("GateSample crashed on purpose.");
}

using (render.Enter())
{
    for (int i = 0; i < 100; i++)
    {
        renderTruth += Measure(() => sink = new char[5_000]);
    }

    if (extra)
    {
        renderTruth += Measure(() => sink = new byte[1024 * 1024]);
    }
}

GC.KeepAlive(sink);
Console.WriteLine("TRUTH " + JsonSerializer.Serialize(new Dictionary<string, long> { ["parse"] = parseTruth, ["render"] = renderTruth }));

// Totals written while the process exits never reach the session (the runtime turns the source off first): live one
// totals interval (100 ms under `run`) longer, so the last periodic publication covers the work.
Thread.Sleep(300);
return exitCode;

static long Measure(Action action)
{
    long before = GC.GetAllocatedBytesForCurrentThread();
    action();
    return GC.GetAllocatedBytesForCurrentThread() - before;
}
