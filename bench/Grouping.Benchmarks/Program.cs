// Cost of entering and leaving a group. Figures go to docs/performance.md.
//   dotnet run -c Release --project bench/Grouping.Benchmarks -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(TrackingProfiler.Grouping.Benchmarks.EnterExitBenchmarks).Assembly).Run(args);
