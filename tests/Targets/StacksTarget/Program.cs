// A target for the call-stack tests. Before it prints READY it calls the "parse" methods once, so their code is
// compiled before any session attaches (fully optimized at once: AggressiveOptimization means no later re-JIT, so the
// code that runs under the session is the pre-attach code, which only the rundown can name). The "render" method is
// compiled during the session. Buffers.RentScratch is shared: it allocates in both groups, twice as much in "render".
// Every allocating method measures its own bytes on its thread: TRUTH {"group/Method": bytes, ...}.
//   StacksTarget work   READY, wait for a line, run, print TRUTH, then wait until stdin closes (so a session can be
//                       stopped, and its rundown sent, while the process is alive)
//   StacksTarget auto   the same without waiting on stdin: runs at once and exits (for `run`)
using System.Text.Json;
using StacksTarget;
using TrackingProfiler.Grouping;

var parse = AllocationGroupToken.Register("parse");
var render = AllocationGroupToken.Register("render");
var truth = new Truth();
bool interactive = args.Length == 0 || args[0] != "auto";

// Before any session: compile the parse path (and the shared method) with a token amount of work.
Workload.Parse(truth, ownMegabytes: 1, scratchMegabytes: 1);
truth.Clear();

Console.WriteLine("READY");
Console.Out.Flush();
if (interactive)
{
    Console.In.ReadLine();
}

using (parse.Enter())
{
    Workload.Parse(truth, ownMegabytes: 150, scratchMegabytes: 60);
}

using (render.Enter())
{
    Workload.Render(truth, ownMegabytes: 200, scratchMegabytes: 120);
}

Console.WriteLine("TRUTH " + JsonSerializer.Serialize(truth.ByKey));
Console.Out.Flush();
while (interactive && Console.In.ReadLine() is not null)
{
}

return 0;
