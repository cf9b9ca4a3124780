using System.Text;
using TrackingProfiler.Grouping;

namespace TrackingProfiler.Cli.Demo;

/// <summary>
/// The bundled sample workload: a small "service" whose parts allocate differently, each marked with a group.
/// It runs in a child process of the tool so that `dotnet-alloctrack demo` needs nothing else installed.
/// </summary>
internal static class DemoWorkload
{
    // Groups are registered once, like loggers; names and tags reach the profiler through GroupRegistered.
    private static readonly AllocationGroupToken s_parse = AllocationGroupToken.Register("orders/parse", ("tier", "api"));
    private static readonly AllocationGroupToken s_cache = AllocationGroupToken.Register("cache/fill", ("tier", "storage"));
    private static readonly AllocationGroupToken s_thumbnails = AllocationGroupToken.Register("images/thumbnail", ("tier", "worker"));

    private static readonly Queue<byte[]> s_cacheEntries = new();
    private const int CacheCapacity = 16 * 1024; // 16 K entries of 1 KB: a cache that keeps ~16 MB alive.

    public static async Task RunAsync(TimeSpan duration, CancellationToken cancel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(duration);
        // The loops watch the token themselves and end normally; a token given to Task.Run would instead fault the
        // wait below with TaskCanceledException for a loop not started yet.
        var workers = new[]
        {
            Task.Run(() => LoopAsync(ParseOrdersAsync, stop.Token), CancellationToken.None),
            Task.Run(() => LoopAsync(FillCacheAsync, stop.Token), CancellationToken.None),
            Task.Run(() => LoopAsync(MakeThumbnailsAsync, stop.Token), CancellationToken.None),
        };
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private static async Task LoopAsync(Func<Task> work, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await work().ConfigureAwait(false);
            try
            {
                await Task.Delay(1, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    // Many small strings, across an await: the group follows the continuation onto another thread.
    private static async Task ParseOrdersAsync()
    {
        using (s_parse.Enter())
        {
            for (int i = 0; i < 200; i++)
            {
                var builder = new StringBuilder();
                for (int field = 0; field < 8; field++)
                {
                    builder.Append("field").Append(field).Append('=').Append(i * field).Append(';');
                }

                _ = builder.ToString().Split(';');
            }

            await Task.Yield();
            _ = new List<string>(Enumerable.Range(0, 500).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    // Retained memory: 1 KB entries kept in a bounded cache.
    private static Task FillCacheAsync()
    {
        using (s_cache.Enter())
        {
            lock (s_cacheEntries)
            {
                for (int i = 0; i < 64; i++)
                {
                    s_cacheEntries.Enqueue(new byte[1024]);
                    if (s_cacheEntries.Count > CacheCapacity)
                    {
                        s_cacheEntries.Dequeue();
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    // Large buffers on the thread pool: the group flows into Task.Run.
    private static async Task MakeThumbnailsAsync()
    {
        using (s_thumbnails.Enter())
        {
            await Task.Run(() =>
            {
                var pixels = new byte[256 * 1024];
                pixels[^1] = 1;
                var thumbnail = new byte[16 * 1024];
                thumbnail[0] = pixels[^1];
            }).ConfigureAwait(false);
        }
    }
}
