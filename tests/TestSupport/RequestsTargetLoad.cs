using System.Net.Http.Json;
using System.Text.Json;

namespace TrackingProfiler.TestSupport;

/// <summary>
/// A bounded load on tests/Targets/RequestsTarget and the truth the app measures itself (GET /truth: bytes per route,
/// and its GC.GetTotalAllocatedBytes), shared by the engine's and the CLI's requests tests.
/// </summary>
public static class RequestsTargetLoad
{
    private static readonly string[] s_names = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"];

    /// <summary>
    /// Four workers, each route a fixed number of times, ids and names that differ from request to request (~580 MB in
    /// all, 700–1,400 samples per route: the 15% bound is then more than 4 standard errors wide).
    /// </summary>
    public static async Task DriveAsync(HttpClient http)
    {
        var work = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            work.Add($"/orders/{1000 + i}");
            work.Add("/report");
        }

        for (int i = 0; i < 200; i++)
        {
            work.Add($"/users/{Guid.NewGuid()}");
        }

        for (int i = 0; i < 250; i++)
        {
            work.Add($"/users/by-name/{s_names[i % s_names.Length]}");
        }

        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int at;
            while ((at = Interlocked.Increment(ref next)) < work.Count)
            {
                using var response = await http.GetAsync(work[at]);
                response.EnsureSuccessStatusCode();
            }
        }));
    }

    public static async Task<AppTruth> TruthAsync(HttpClient http)
    {
        var json = await http.GetFromJsonAsync<JsonElement>("/truth");
        return new AppTruth(
            json.GetProperty("routes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            json.GetProperty("totalAllocated").GetInt64());
    }
}

/// <summary>What RequestsTarget measured itself: bytes per route (named as the profiler names groups), and the process's total allocated bytes.</summary>
public sealed record AppTruth(Dictionary<string, long> Routes, long TotalAllocated);
