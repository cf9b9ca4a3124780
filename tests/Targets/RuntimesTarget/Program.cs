// A self-contained target for the .NET 8 and 9 tests. It prints READY, and measures its own ground truth: the bytes
// each group's code allocated, with GC.GetAllocatedBytesForCurrentThread() around every synchronous segment.
//   RuntimesTarget wait <truth file>   READY, wait for a line on stdin, run the groups, write TRUTH json to the file
//   RuntimesTarget run <truth file>    run the groups at once (for `run`, which traces from the first instruction)
using System.Globalization;
using System.Text.Json;
using TrackingProfiler.Grouping;

var parse = AllocationGroupToken.Register("parse");
var render = AllocationGroupToken.Register("render");
string mode = args.Length > 0 ? args[0] : "run";
string truthFile = args.Length > 1 ? args[1] : "truth.json";

Console.WriteLine("READY");
Console.Out.Flush();
if (mode == "wait")
{
    Console.In.ReadLine();
}

long parseTruth = 0, renderTruth = 0;
object? sink = null;
using (parse.Enter())
{
    // About 24 MB: enough for a few hundred GCAllocationTick samples (one per ~100 KB).
    for (int i = 0; i < 400; i++)
    {
        parseTruth += Measure(() => sink = new byte[60_000]);
    }
}

using (render.Enter())
{
    await Task.Run(() =>
    {
        for (int i = 0; i < 200; i++)
        {
            long mine = Measure(() => sink = string.Concat(Enumerable.Repeat("y", 5_000)));
            Interlocked.Add(ref renderTruth, mine);
        }
    }).ConfigureAwait(false);
}

GC.KeepAlive(sink);
var truth = new Dictionary<string, long> { ["parse"] = parseTruth, ["render"] = renderTruth, ["runtime"] = Environment.Version.Major };
File.WriteAllText(truthFile, JsonSerializer.Serialize(truth));
Console.WriteLine("TRUTH " + JsonSerializer.Serialize(truth));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"on .NET {Environment.Version}"));

// Live past the publication that follows the last return to the root group (TotalsPublisher.TrailingQuietMs, 100 ms,
// not the 1 s interval `attach` asks for): totals written while the process exits never reach an EventPipe session.
await Task.Delay(600).ConfigureAwait(false);
return 0;

static long Measure(Action action)
{
    long before = GC.GetAllocatedBytesForCurrentThread();
    action();
    return GC.GetAllocatedBytesForCurrentThread() - before;
}
