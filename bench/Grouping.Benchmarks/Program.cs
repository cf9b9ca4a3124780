// Cost of entering and leaving a group. Figures go to docs/performance.md.
//   dotnet run -c Release --project bench/Grouping.Benchmarks -- --filter '*' --job short      (BenchmarkDotNet)
//   dotnet run -c Release --project bench/Grouping.Benchmarks -- cputime [rounds] [iterations] [configs] (thread CPU clock)
using BenchmarkDotNet.Running;
using TrackingProfiler.Grouping.Benchmarks;

if (args.Length > 0 && args[0] == "cputime")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 7;
    int iterations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2_000_000;
    CpuTimeRun.Run(rounds, iterations, args.Length > 3 ? args[3].Split(',') : ListeningConfiguration.Names);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EnterExitBenchmarks).Assembly).Run(args);
