// Allocation groups in synchronous and asynchronous code: what is attributed where, and why.
//
//   dotnet build examples/GroupsInAsyncCode
//   dotnet run --project src/Cli -- run -- dotnet examples/GroupsInAsyncCode/bin/Debug/net10.0/GroupsInAsyncCode.dll
using TrackingProfiler.Grouping;

// Register groups once, like loggers: each call makes a new group with a new id. Tags travel with the name.
var requests = AllocationGroupToken.Register("requests", ("tier", "api"));
var parsing = AllocationGroupToken.Register("requests/parse", ("tier", "api"));
var logging = AllocationGroupToken.Register("logging");

for (int request = 0; request < 50; request++)
{
    await HandleRequestAsync(request);
}

Console.WriteLine("done");

async Task HandleRequestAsync(int id)
{
    // 1. A `using` scope: everything this flow allocates until the scope ends belongs to "requests".
    using (requests.Enter())
    {
        var buffer = new byte[64 * 1024];

        // 2. Nesting: "requests/parse" is current inside, "requests" again after. Groups do not add up: bytes
        //    allocated while parsing count for "requests/parse" only.
        using (parsing.Enter())
        {
            var fields = string.Join(',', Enumerable.Range(0, 200)).Split(',');
            GC.KeepAlive(fields);
        }

        // 3. Across `await`: the continuation may run on another thread; the group follows it (ExecutionContext).
        await Task.Delay(1);
        var response = new char[32 * 1024];

        // 4. Into the thread pool: Task.Run captures the current group too.
        await Task.Run(() => GC.KeepAlive(new byte[128 * 1024]));

        // 5. Out of every group: the crate's `untracked`. Here, logging is not charged to the request.
        AllocationRegistry.Untracked(() => GC.KeepAlive($"request {id} served at {DateTime.UtcNow:O}"));

        // 6. Or into another group explicitly, for code that spans an await.
        using (logging.Enter())
        {
            await Console.Out.WriteLineAsync($"request {id}: {buffer.Length + response.Length} bytes of buffers");
        }
    }

    // 7. Outside the scope: back in the group that was current before (here: the root group).
    GC.KeepAlive(new byte[1024]);
}

// 8. Exact totals reach a profiler in periodic publications (every 100 ms under `dotnet-alloctrack run`); totals
//    written while the process exits never do (the runtime turns the source off first). A program that exits right
//    after its work loses what it allocated since the last one: this one lives one interval longer.
await Task.Delay(300);
