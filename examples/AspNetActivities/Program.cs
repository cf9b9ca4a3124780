// Requests and spans become allocation groups, with no change to the code that starts them: the crate's `tracing`
// example (tracing spans → groups through AllocationLayer), for .NET's spans, System.Diagnostics.Activity.
//
//   dotnet run --project examples/AspNetActivities                     # listens on http://127.0.0.1:5077
//   dotnet run --project src/Cli -- attach --name AspNetActivities     # in another terminal
//   curl http://127.0.0.1:5077/orders/42 ; curl "http://127.0.0.1:5077/catalog/search?q=red" ; curl http://127.0.0.1:5077/report
using System.Diagnostics;
using System.Text;
using TrackingProfiler.Grouping.Activities;

// The application's own spans, as OpenTelemetry instrumentation would create them.
var shop = new ActivitySource("Shop");

// One line turns Activities into groups. ASP.NET Core starts an Activity per request (source "Microsoft.AspNetCore",
// operation "Microsoft.AspNetCore.Hosting.HttpRequestIn"), so every request's allocations land in that group; the
// application's spans, started inside requests, become nested groups named after their operation. At start an
// ASP.NET Core request Activity does not know its route yet, which is why routes are named by the app's spans.
using var grouping = ActivityAllocationGroups.Start(
    source => source.Name is "Microsoft.AspNetCore" or "Shop",
    activity => activity.Source.Name == "Microsoft.AspNetCore" ? "http request" : activity.OperationName);

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

// Small allocations: a JSON-like order.
app.MapGet("/orders/{id:int}", (int id) =>
{
    using var span = shop.StartActivity("orders.get");
    var lines = Enumerable.Range(0, 200).Select(i => $"{{\"sku\":\"SKU-{id}-{i}\",\"qty\":{i % 5 + 1}}}");
    return Results.Text("[" + string.Join(',', lines) + "]", "application/json");
});

// Medium allocations, across an await: the span's group follows the continuation.
app.MapGet("/catalog/search", async (string q) =>
{
    using var span = shop.StartActivity("catalog.search");
    var results = new List<string>();
    for (int page = 0; page < 5; page++)
    {
        await Task.Delay(1);
        results.AddRange(Enumerable.Range(0, 400).Select(i => $"{q}-item-{page}-{i}"));
    }

    return Results.Ok(results.Count);
});

// Large buffers on the thread pool.
app.MapGet("/report", async () =>
{
    using var span = shop.StartActivity("report.render");
    int size = await Task.Run(() =>
    {
        var buffer = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            buffer.Append("row ").Append(i).Append('\n');
        }

        return buffer.ToString().Length;
    });
    return Results.Ok(size);
});

string url = args.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? "http://127.0.0.1:5077";
app.Run(url);
