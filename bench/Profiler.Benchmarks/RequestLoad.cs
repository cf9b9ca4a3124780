using System.Diagnostics;
using System.Globalization;

namespace TrackingProfiler.Benchmarks;

/// <summary>HTTP load from this process on one route (<c>{0}</c> in it becomes a request number).</summary>
internal static class RequestLoad
{
    /// <summary>
    /// Closed loop: <paramref name="workers"/> clients, each sending its next request when the last one answered.
    /// Measures the most the target serves (saturation): requests/s.
    /// </summary>
    public static async Task<double> ClosedLoopAsync(HttpClient http, string route, int workers, TimeSpan duration)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            int i = worker * 1_000_000;
            while (clock.Elapsed < duration)
            {
                using var response = await http.GetAsync(string.Format(CultureInfo.InvariantCulture, route, ++i));
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Open loop: a request every 1/<paramref name="rate"/> s for <paramref name="duration"/>, sent on schedule whether
    /// or not earlier ones answered, so a slower target shows as latency, not as fewer requests. Each latency runs from
    /// the request's scheduled time (or its actual send, if the timer let it go up to a millisecond early) to its
    /// answer: a delay in sending counts, as it would for a real client (no coordinated omission). Returns when every
    /// request has answered or failed.
    /// </summary>
    public static async Task<OpenLoopResult> OpenLoopAsync(HttpClient http, string route, double rate, TimeSpan duration, int firstId)
    {
        var clock = Stopwatch.StartNew();
        var requests = new List<Task<double>>();
        for (int i = 0; ; i++)
        {
            double due = i / rate;
            if (due >= duration.TotalSeconds)
            {
                break;
            }

            // Timers fire with about a millisecond's granularity: wait only when the next request is further away.
            double wait = due - clock.Elapsed.TotalSeconds;
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait));
            }

            requests.Add(SendAsync(http, string.Format(CultureInfo.InvariantCulture, route, firstId + i), clock, due));
        }

        double[] latencies = await Task.WhenAll(requests);
        var elapsed = clock.Elapsed;
        double[] answered = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        return new OpenLoopResult(requests.Count, answered, elapsed);
    }

    private static async Task<double> SendAsync(HttpClient http, string path, Stopwatch clock, double due)
    {
        double start = Math.Max(due, clock.Elapsed.TotalSeconds);
        try
        {
            using var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            return (clock.Elapsed.TotalSeconds - start) * 1000;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return double.NaN; // counted as failed
        }
    }

    /// <summary>What an open-loop window gave: latencies (ms, sorted) of the requests that answered.</summary>
    public sealed record OpenLoopResult(int Sent, double[] LatenciesMs, TimeSpan Elapsed)
    {
        public int Answered => LatenciesMs.Length;

        public int Failed => Sent - Answered;

        /// <summary>Answered requests per second, from the first send to the last answer.</summary>
        public double AchievedRate => Answered / Elapsed.TotalSeconds;

        public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p * LatenciesMs.Length) - 1)];
    }
}
