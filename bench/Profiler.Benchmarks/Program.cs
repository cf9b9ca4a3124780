// Profiler benchmarks. Figures go to docs/performance.md.
//   overhead   [seconds] [runs] [--track-frees] [--per-entry N] [--workloads alloc,async,service] [--sampling none]
//                                                target throughput attached / detached (ratio runs, alternating)
//   side-by-side [seconds] [rounds] [--workload service] [--per-entry N] [--dotnet-trace-dir DIR] [--settle S] [--also-totals-every MS] [--also-dotnet-trace "PROVIDERS|..."]
//                                                detached, this tool (default, --sampling none) and dotnet-trace,
//                                                rotating per round: medians, spread, ratios (bench/run-side-by-side.sh)
//   stacks     [seconds] [runs] [--per-entry N] [--workloads service,alloc]
//                                                what --stacks costs the target, beside a dotnet-trace-like recorder
//   stacks-memory                                the tool's memory for call paths, per million samples
//   requests-overhead [seconds] [rounds] [--route /hello/{0}] [--dotnet-trace-dir DIR]
//                                                an ASP.NET Core app's requests/s detached, under --group-by requests
//                                                and under dotnet-trace (AllocationSampled), rotating per round
//   aspnet-overhead [seconds] [rounds] [--app example|requests|both] [--rate R] [--warmup S] [--settle S] [--closed-loop S]
//                   [--example-route /orders/{0}] [--requests-route /hello/{0}] [--dotnet-trace-dir DIR]
//                                                examples/AspNetActivities (groups) and RequestsTarget (--group-by requests)
//                                                at a fixed request rate: target CPU per request, p50/p99 latency,
//                                                then closed-loop requests/s (bench/run-aspnet-overhead.sh)
//   throughput [seconds]                         record a real stream, then replay it on one core: events/s
//   micro      [BenchmarkDotNet args]            attribution cost per event on synthetic events
using BenchmarkDotNet.Running;
using TrackingProfiler.Benchmarks;

string mode = args.Length > 0 ? args[0] : "help";
string[] rest = args.Skip(1).ToArray();
switch (mode)
{
    case "overhead":
        return await OverheadRuns.RunAsync(rest);
    case "side-by-side":
        return await SideBySideRuns.RunAsync(rest);
    case "stacks":
        return await StacksOverheadRuns.RunAsync(rest);
    case "stacks-memory":
        return StacksMemory.Run();
    case "requests-overhead":
        return await RequestsOverheadRuns.RunAsync(rest);
    case "aspnet-overhead":
        return await AspNetOverheadRuns.RunAsync(rest);
    case "throughput":
        return await ProcessingThroughput.RunAsync(rest);
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(AttributionBenchmarks).Assembly).Run(rest);
        return 0;
    default:
        Console.WriteLine("usage: Profiler.Benchmarks overhead [seconds] [runs] [--track-frees] | throughput [seconds] | micro [BenchmarkDotNet args]");
        return 2;
}
