// An ASP.NET Core app that references nothing of TrackingProfiler, for the --group-by requests tests.
// It listens on 127.0.0.1 (ephemeral port, printed as "LISTENING <url>", then "READY") and measures its own truth:
// the bytes each route's requests allocate, summed with the thread's allocated-bytes counter in an AsyncLocal
// change handler (the same flow across awaits and the thread pool that the runtime's activity ids follow), and the
// process's GC.GetTotalAllocatedBytes(). GET /truth returns both as JSON.
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var app = builder.Build();
var client = new HttpClient();
string? self = null;

app.Use(async (context, next) =>
{
    int route = Truth.Classify(context.Request.Path);
    if (route < 0)
    {
        await next(context);
        return;
    }

    Truth.Enter(route);
    try
    {
        await next(context);
    }
    finally
    {
        Truth.Leave();
    }
});

// 512 KB per request, in 16 KB arrays: half before an await, a quarter on the thread pool, a quarter after.
app.MapGet("/orders/{id:int}", async (int id) =>
{
    Work.Allocate(16);
    await Task.Yield();
    await Task.Run(() => Work.Allocate(8));
    Work.Allocate(8);
    return Results.Ok(id);
});

// 768 KB per request, with a nested Activity of the app's own ActivitySource (no listener unless a tool adds one).
app.MapGet("/users/{id:guid}", async (Guid id) =>
{
    using (var activity = Work.Source.StartActivity("lookup-user"))
    {
        Work.Allocate(24);
        await Task.Delay(1);
        Work.Allocate(24);
    }

    return Results.Ok(id);
});

// 320 KB per request, under a route whose parameter is a name (nothing id-like to fold): one group per template, not per name.
app.MapGet("/users/by-name/{name}", async (string name) =>
{
    Work.Allocate(10);
    await Task.Yield();
    Work.Allocate(10);
    return Results.Ok(name);
});

// 384 KB per request plus an outgoing HttpClient call to /ping: the call's client side belongs to this request.
app.MapGet("/report", async () =>
{
    Work.Allocate(12);
    string pong = await client.GetStringAsync(self + "/ping");
    Work.Allocate(12);
    return Results.Text(pong);
});

// 256 KB per request.
app.MapGet("/ping", () =>
{
    Work.Allocate(16);
    return "pong";
});

// A light endpoint (a few hundred bytes per request): where per-request costs of tracing show most (overhead bench).
app.MapGet("/hello/{id:int}", (int id) => Results.Ok(new { id, greeting = "hello" }));

app.MapGet("/truth", () => Results.Text(Truth.Json(), "application/json"));

await app.StartAsync();
self = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"LISTENING {self}");
Console.WriteLine("READY");

// Runs until stdin closes (or "quit").
while (Console.ReadLine() is { } line && line != "quit")
{
}

// Live past one more reading of the process total (every 0.1 s under `run`) before shutting down in ~50 ms: a traced
// process's total ends at the counter's last reading, and the tests compare it with the app's own figure.
await Task.Delay(500);
await app.StopAsync();

internal static class Work
{
    public static readonly System.Diagnostics.ActivitySource Source = new("RequestsTarget");
    private static readonly ConcurrentQueue<byte[]> s_keep = new();

    /// <summary>Allocates <paramref name="count"/> arrays of 16,000 bytes (16,024 with the header), keeping the last few alive.</summary>
    public static void Allocate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var array = new byte[16_000];
            array[i] = 1;
            s_keep.Enqueue(array);
            if (s_keep.Count > 64)
            {
                s_keep.TryDequeue(out _);
            }
        }
    }
}

internal static class Truth
{
    // Named as the profiler names request groups: the method and the route template ASP.NET Core reports.
    public static readonly string[] Routes = ["GET /orders/{id:int}", "GET /users/{id:guid}", "GET /report", "GET /ping", "GET /users/by-name/{name}"];
    private static readonly long[] s_bytes = new long[Routes.Length];
    private static readonly AsyncLocal<int> s_route = new(OnChanged); // route index + 1; 0 outside
    [ThreadStatic]
    private static long t_reading;

    public static int Classify(PathString path) => path.Value switch
    {
        { } p when p.StartsWith("/orders/", StringComparison.Ordinal) => 0,
        { } p when p.StartsWith("/users/by-name/", StringComparison.Ordinal) => 4,
        { } p when p.StartsWith("/users/", StringComparison.Ordinal) => 1,
        "/report" => 2,
        "/ping" => 3,
        _ => -1,
    };

    public static void Enter(int route) => s_route.Value = route + 1;

    public static void Leave() => s_route.Value = 0;

    public static string Json()
    {
        var routes = new Dictionary<string, long>();
        for (int i = 0; i < Routes.Length; i++)
        {
            routes[Routes[i]] = Interlocked.Read(ref s_bytes[i]);
        }

        return JsonSerializer.Serialize(new Dictionary<string, object> { ["routes"] = routes, ["totalAllocated"] = GC.GetTotalAllocatedBytes() });
    }

    // Fires on every set and on every ExecutionContext switch of a flow that set it: the bytes a thread allocated
    // since its last reading belong to the route it is leaving.
    private static void OnChanged(AsyncLocalValueChangedArgs<int> args)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (args.PreviousValue > 0)
        {
            Interlocked.Add(ref s_bytes[args.PreviousValue - 1], now - t_reading);
        }

        t_reading = now;
    }
}
