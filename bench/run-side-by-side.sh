#!/usr/bin/env bash
# The side-by-side overhead run (docs/performance.md): the same bench/OverheadTarget workload detached, under
# dotnet-alloctrack (default and --sampling none) and under dotnet-trace (AllocationSampled keyword only), the
# configurations rotating per round. dotnet-trace is installed from NuGet as a local tool next to this script.
#   bench/run-side-by-side.sh [seconds=4] [rounds=5] [per-entry...=100000 20000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-4}"
rounds="${2:-5}"
shift $(( $# < 2 ? $# : 2 ))
entries=("${@:-100000 20000}")

tools="$("$here/install-dotnet-trace.sh")"
dotnet build -c Release "$here/Profiler.Benchmarks" >/dev/null
bench="$here/Profiler.Benchmarks/bin/Release/net10.0/Profiler.Benchmarks.dll"
for n in ${entries[*]}; do
  dotnet "$bench" side-by-side "$seconds" "$rounds" --workload service --per-entry "$n" --dotnet-trace-dir "$tools"
done
