using TrackingProfiler.Profiler.Reports;

namespace TrackingProfiler.Profiler.Tests.Reports;

/// <summary>Synthetic reports for the writers' tests: plain, with call paths (as --stacks fills them), and hostile.</summary>
internal static class ReportSamples
{
    public static AllocationReport Plain(bool frees = false) => new()
    {
        Session = new SessionReport { Mode = "attach", TargetPid = 42, RuntimeVersion = "10.0.12", SamplingMode = "randomized", EventsLost = 3, TrackFrees = frees, Notes = ["a note"] },
        Groups =
        [
            new GroupReport
            {
                Id = 1, ProcessId = 42, Name = "orders|parse", Tags = [new TagReport("tier", "api")],
                AllocatedBytes = 10 * 1024 * 1024, ExactIntervals = 12, EstimatedBytes = 10_000_000, EstimatedBytesLow = 9_400_000, EstimatedBytesHigh = 10_600_000, Samples = 100,
                Types = [new TypeReport("System.Collections.Generic.List`1[System.String]", 5_000_000, 50)],
                LiveBytes = frees ? 1_000 : null, FreedBytes = frees ? 2_000 : null, Gen2Bytes = frees ? 0 : null,
            },
            new GroupReport { Id = -1, ProcessId = 42, Name = "(unknown, \"x\")", Samples = 1, EstimatedBytes = 102_400 },
        ],
    };

    public static readonly FrameReport Parse = new("Shop.Orders.Parser.Parse", "Shop.dll");
    public static readonly FrameReport Handle = new("Shop.Orders.Handler.HandleAsync", "Shop.dll");
    public static readonly FrameReport Main = new("Shop.Program.Main", "Shop.dll");
    public static readonly FrameReport Render = new("Shop.Images.Thumbnail.Render", "Shop.Images.dll");
    public static readonly FrameReport Encode = new("System.Text.Encoding.GetBytes", "System.Private.CoreLib.dll");

    /// <summary>Two groups with call paths (leaf first); one path shared by both; group totals larger than their paths.</summary>
    public static AllocationReport WithCallPaths(bool frees = false) => new()
    {
        Session = new SessionReport { Mode = "run", TargetPid = 7, RuntimeVersion = "10.0.12", SamplingMode = "randomized", TrackFrees = frees, DurationSeconds = 2.5, StartedAt = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero) },
        Groups =
        [
            new GroupReport
            {
                Id = 1, ProcessId = 7, Name = "orders/parse", AllocatedBytes = 3_000_000, ExactIntervals = 5,
                EstimatedBytes = 3_100_000, EstimatedBytesLow = 2_900_000, EstimatedBytesHigh = 3_300_000, Samples = 31,
                Types = [new TypeReport("System.String", 2_000_000, 20), new TypeReport("System.Char[]", 1_000_000, 10)],
                LiveBytes = frees ? 400_000 : null, LiveBytesLow = frees ? 300_000 : null, LiveBytesHigh = frees ? 500_000 : null,
                FreedBytes = frees ? 2_600_000 : null, Gen2Bytes = frees ? 100_000 : null,
                CallPaths =
                [
                    new CallPathReport([Parse, Handle, Main], 2_000_000, 20),
                    new CallPathReport([Encode, Parse, Handle, Main], 1_000_000, 10),
                ],
            },
            new GroupReport
            {
                Id = 2, ProcessId = 7, Name = "images/thumbnail", AllocatedBytes = 8_000_000, ExactIntervals = 9,
                EstimatedBytes = 8_000_000, EstimatedBytesLow = 7_600_000, EstimatedBytesHigh = 8_400_000, Samples = 80,
                Types = [new TypeReport("System.Byte[]", 8_000_000, 80)],
                LiveBytes = frees ? 0 : null, LiveBytesLow = frees ? 0 : null, LiveBytesHigh = frees ? 0 : null,
                FreedBytes = frees ? 8_000_000 : null, Gen2Bytes = frees ? 0 : null,
                CallPaths =
                [
                    new CallPathReport([Render, Main], 6_000_000, 60),
                    new CallPathReport([Encode, Parse, Handle, Main], 2_000_000, 20),
                ],
            },
            new GroupReport { Id = 0, ProcessId = 7, Name = "(root)", Samples = 0 },
        ],
    };

    /// <summary>Names an attacker controlling the target could register.</summary>
    public static readonly string[] HostileNames =
    [
        "\u001b]0;pwned\u0007\u001b[2J\u001b[Hclear",      // OSC retitle + BEL, clear screen, cursor home
        "line1\r\nline2\nline3",                            // CR/LF: fake rows
        "=HYPERLINK(\"http://evil.example/\",\"x\")",       // spreadsheet formula
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)",
        "\tTabbed",
        "\u009b31mC1 CSI\u0085NEL",                         // 8-bit CSI and NEL (C1)
        "abc\u202Eevil\u2066isolate\u2069",                 // bidi override and isolate (Trojan Source)
        "pipe | <script>alert(1)</script> [link](http://x) *em* `code` @mention # heading",
        new string('W', 10_000),                            // 10 KB name
    ];

    public static AllocationReport Hostile() => new()
    {
        Session = new SessionReport
        {
            Mode = "attach", TargetPid = 9, SamplingMode = "randomized",
            Processes = [new ProcessReport { ProcessId = 9, Name = "proc\u001b[31mred", Traced = true }],
            Notes = ["note with \u001b[2J escape"],
        },
        Groups =
        [
            .. HostileNames.Select((name, i) => new GroupReport
            {
                Id = i + 1, ProcessId = 9, Name = name, AllocatedBytes = 1000 + i, ExactIntervals = 1, EstimatedBytes = 1000, Samples = 1,
                Tags = [new TagReport("k\u001b", "=v")],
                Types = [new TypeReport("Evil\u001b[2JType", 1000, 1)],
                CallPaths = [new CallPathReport([new FrameReport("Evil.\u001b]0;x\u0007Method", "m.dll")], 1000, 1)],
            }),
        ],
    };

    /// <summary>A larger synthetic report for the README's picture: three groups, deeper and more varied call paths.</summary>
    public static AllocationReport Showcase()
    {
        static FrameReport F(string method, string module = "Shop.dll") => new(method, module);
        var main = F("Shop.Program.Main");
        var host = F("Shop.Hosting.RequestLoop.RunAsync");
        var worker = F("Shop.Hosting.BackgroundWorker.ExecuteAsync");
        var handle = F("Shop.Orders.OrderHandler.HandleAsync");
        var parse = F("Shop.Orders.OrderParser.Parse");
        var fields = F("Shop.Orders.OrderParser.ReadFields");
        var validate = F("Shop.Orders.OrderValidator.Validate");
        var builder = F("System.Text.StringBuilder.ToString", "System.Private.CoreLib.dll");
        var split = F("System.String.Split", "System.Private.CoreLib.dll");
        var concat = F("System.String.Concat", "System.Private.CoreLib.dll");
        var json = F("System.Text.Json.JsonSerializer.Serialize", "System.Text.Json.dll");
        var thumb = F("Shop.Images.ThumbnailService.MakeAsync", "Shop.Images.dll");
        var resize = F("Shop.Images.Resizer.Resize", "Shop.Images.dll");
        var decode = F("Shop.Images.PngDecoder.Decode", "Shop.Images.dll");
        var pool = F("System.Buffers.ArrayPool.Rent", "System.Private.CoreLib.dll");
        var cache = F("Shop.Caching.ProductCache.FillAsync");
        var load = F("Shop.Caching.ProductCache.Load");
        var list = F("System.Collections.Generic.List.Grow", "System.Private.CoreLib.dll");
        GroupReport Group(int id, string name, string[] types, params (long Bytes, FrameReport[] Frames)[] paths) => new()
        {
            Types = [.. types.Select((t, i) => new TypeReport(t, paths.Sum(p => p.Bytes) / (i + 2), paths.Sum(p => p.Bytes) / (i + 2) / 100_000))],
            Id = id, ProcessId = 7, Name = name, AllocatedBytes = paths.Sum(p => p.Bytes), ExactIntervals = 100,
            EstimatedBytes = paths.Sum(p => p.Bytes), EstimatedBytesLow = paths.Sum(p => p.Bytes) * 96 / 100, EstimatedBytesHigh = paths.Sum(p => p.Bytes) * 104 / 100,
            Samples = paths.Sum(p => p.Bytes) / 100_000,
            CallPaths = [.. paths.OrderByDescending(p => p.Bytes).Select(p => new CallPathReport(p.Frames, p.Bytes, p.Bytes / 100_000))],
        };
        return new AllocationReport
        {
            Session = new SessionReport { Mode = "run", TargetPid = 7, RuntimeVersion = "10.0.12", SamplingMode = "randomized", DurationSeconds = 30 },
            Groups =
            [
                Group(1, "orders/parse", ["System.String", "System.Char[]"],
                    (160_000_000, [builder, fields, parse, handle, host, main]),
                    (90_000_000, [split, fields, parse, handle, host, main]),
                    (40_000_000, [concat, validate, handle, host, main]),
                    (55_000_000, [json, handle, host, main])),
                Group(2, "images/thumbnail", ["System.Byte[]"],
                    (300_000_000, [pool, decode, thumb, worker, main]),
                    (80_000_000, [resize, thumb, worker, main]),
                    (20_000_000, [concat, thumb, worker, main])),
                Group(3, "cache/fill", ["System.Byte[]", "Shop.Caching.Product"],
                    (70_000_000, [load, cache, worker, main]),
                    (25_000_000, [list, load, cache, worker, main]),
                    (12_000_000, [split, load, cache, worker, main])),
            ],
        };
    }
}
