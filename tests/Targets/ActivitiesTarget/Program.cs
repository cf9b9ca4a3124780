// A console app with its own ActivitySource, for the --group-by activities tests. After "go" on stdin it runs
// Activities "import" (with a nested "parse") and "export" across awaits and the thread pool, and prints its own truth:
// the bytes allocated while each was the innermost Activity, summed with the thread's allocated-bytes counter in an
// AsyncLocal change handler. Inside "parse" it also enters the Grouping library's group "parsing", so two users of the
// thread's activity id (the runtime's ActivityTracker and TrackingProfiler.Grouping) share the process.
using System.Diagnostics;
using System.Text.Json;
using TrackingProfiler.Grouping;

var source = new ActivitySource("ActivitiesTarget");
var parsing = AllocationGroupToken.Register("parsing");
int iterations = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 400;

Console.WriteLine("READY");
Console.ReadLine();

for (int i = 0; i < iterations; i++)
{
    await Task.WhenAll(Import(), Export());
}

var truth = Truth.Snapshot();
truth["parsing"] = parsing.AllocatedBytes; // the library's own exact count, while a session listened
Console.WriteLine("TRUTH " + JsonSerializer.Serialize(truth));
Console.ReadLine(); // stays until told (or stdin closes), so a session can end before the process does
return 0;

async Task Import()
{
    using var import = source.StartActivity("import");
    using var scope = Truth.Enter("import");
    Work.Allocate(4);
    await Task.Yield();
    await Parse();
    Work.Allocate(4);
}

async Task Parse()
{
    using var parse = source.StartActivity("parse");
    using var scope = Truth.Enter("parse");
    using (parsing.Enter())
    {
        Work.Allocate(8);
        await Task.Run(() => Work.Allocate(8));
    }

    Work.Allocate(4);
}

async Task Export()
{
    using var export = source.StartActivity("export");
    using var scope = Truth.Enter("export");
    await Task.Run(() => Work.Allocate(6));
    await Task.Delay(1);
    Work.Allocate(6);
}

internal static class Work
{
    /// <summary>Allocates <paramref name="count"/> arrays of 16,000 bytes.</summary>
    public static void Allocate(int count)
    {
        for (int i = 0; i < count; i++)
        {
            GC.KeepAlive(new byte[16_000]);
        }
    }
}

internal static class Truth
{
    private static readonly string[] s_names = ["import", "parse", "export"];
    private static readonly long[] s_bytes = new long[s_names.Length];
    private static readonly AsyncLocal<int> s_current = new(OnChanged); // index + 1; 0 outside
    [ThreadStatic]
    private static long t_reading;

    public static Scope Enter(string name)
    {
        int previous = s_current.Value;
        s_current.Value = Array.IndexOf(s_names, name) + 1;
        return new Scope(previous);
    }

    public static Dictionary<string, long> Snapshot() =>
        s_names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => Interlocked.Read(ref s_bytes[p.i]));

    private static void OnChanged(AsyncLocalValueChangedArgs<int> args)
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (args.PreviousValue > 0)
        {
            Interlocked.Add(ref s_bytes[args.PreviousValue - 1], now - t_reading);
        }

        t_reading = now;
    }

    public readonly struct Scope(int previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
