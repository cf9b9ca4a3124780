using System.Runtime.CompilerServices;

namespace StacksTarget;

/// <summary>What each method allocated, in each group, measured on its own thread.</summary>
internal sealed class Truth
{
    public Dictionary<string, long> ByKey { get; } = [];

    public string Group { get; set; } = "none";

    public void Add(string method, long bytes) => ByKey[$"{Group}/{method}"] = ByKey.GetValueOrDefault($"{Group}/{method}") + bytes;

    public void Clear() => ByKey.Clear();
}

internal static class Workload
{
    private static object? s_sink;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Parse(Truth truth, int ownMegabytes, int scratchMegabytes)
    {
        truth.Group = "parse";
        truth.Add(nameof(Parser.ParseRecords), Measure(() => Parser.ParseRecords(ownMegabytes)));
        truth.Add(nameof(Buffers.RentScratch), Measure(() => Buffers.RentScratch(scratchMegabytes)));
        truth.Add(nameof(Formatter.FormatNumbers), Measure(() => Formatter.FormatNumbers(scratchMegabytes / 4)));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Render(Truth truth, int ownMegabytes, int scratchMegabytes)
    {
        truth.Group = "render";
        truth.Add(nameof(Renderer.RenderPage), Measure(() => Renderer.RenderPage(ownMegabytes)));
        truth.Add(nameof(Buffers.RentScratch), Measure(() => Buffers.RentScratch(scratchMegabytes)));
    }

    public static void Keep(object value) => s_sink = value;

    private static long Measure(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(s_sink);
        return bytes;
    }
}

internal static class Parser
{
    /// <summary>Compiled before attach (called once before READY), never re-compiled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void ParseRecords(int megabytes)
    {
        for (long done = 0; done < megabytes * 1024L * 1024; done += 4096)
        {
            Workload.Keep(new byte[4096 - 24]);
        }
    }
}

internal static class Renderer
{
    /// <summary>First called under the session: JIT-compiled while it runs.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RenderPage(int megabytes)
    {
        for (long done = 0; done < megabytes * 1024L * 1024; done += 16 * 1024)
        {
            Workload.Keep(new char[(8 * 1024) - 12]);
        }
    }
}

internal static class Buffers
{
    /// <summary>Shared by both groups.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void RentScratch(int megabytes)
    {
        for (long done = 0; done < megabytes * 1024L * 1024; done += 2048)
        {
            Workload.Keep(new int[(2048 - 24) / 4]);
        }
    }
}

internal static class Formatter
{
    /// <summary>Allocates inside precompiled (ReadyToRun) framework code: its frames are named from the rundown.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void FormatNumbers(int megabytes)
    {
        var builder = new System.Text.StringBuilder();
        for (long done = 0; done < megabytes * 1024L * 1024; done += 64 * 1024)
        {
            builder.Clear();
            for (int i = 0; i < 4096; i++)
            {
                builder.Append(i);
            }

            Workload.Keep(builder.ToString());
        }
    }
}
