#!/usr/bin/env bash
# What attaching costs an ASP.NET Core app under a bounded load (docs/performance.md, issues 11 and 12):
# examples/AspNetActivities (groups from Activities) and tests/Targets/RequestsTarget (--group-by requests), each
# detached, under dotnet-alloctrack and under dotnet-trace (AllocationSampled keyword only), rotating per round, a
# fresh app per measurement: target CPU per request and p50/p99 latency at a fixed request rate (open loop), then the
# closed-loop requests/s. dotnet-trace is installed from NuGet as a local tool next to this script.
#   bench/run-aspnet-overhead.sh [seconds=10] [rounds=5] [more Profiler.Benchmarks aspnet-overhead options...]
#   e.g. bench/run-aspnet-overhead.sh 10 5 --rate 1000 --settle 2
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-10}"
rounds="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))

tools="$("$here/install-dotnet-trace.sh")"
dotnet build -c Release "$here/Profiler.Benchmarks" >/dev/null
bench="$here/Profiler.Benchmarks/bin/Release/net10.0/Profiler.Benchmarks.dll"
dotnet "$bench" aspnet-overhead "$seconds" "$rounds" --dotnet-trace-dir "$tools" "$@"
