#!/usr/bin/env bash
# Installs dotnet-trace from NuGet as a local tool in bench/.tools (a tool manifest there), for the side-by-side runs,
# and prints that directory (what Profiler.Benchmarks takes as --dotnet-trace-dir).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/.tools"
mkdir -p "$tools"
if [ ! -f "$tools/dotnet-tools.json" ] && [ ! -f "$tools/.config/dotnet-tools.json" ]; then
  (cd "$tools" && dotnet new tool-manifest >/dev/null)
fi
(cd "$tools" && dotnet tool install dotnet-trace --version 10.0.750501 >/dev/null 2>&1 || dotnet tool restore >/dev/null)
echo "$tools"
