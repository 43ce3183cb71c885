#!/usr/bin/env bash
# ./mesh bench formats — BenchmarkDotNet run of the Mesh.Core formats (envelopes, encryption,
# Merkle append, JSON vs JSON-B) in Release, then the size/memory footprint.
# Extra arguments go to BenchmarkDotNet, e.g. ./mesh bench formats --filter '*Merkle*'.
# Results: bench/Mesh.Core.Benchmarks/BenchmarkDotNet.Artifacts/ (markdown and CSV reports, log).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
project=bench/Mesh.Core.Benchmarks
out=bench/Mesh.Core.Benchmarks/BenchmarkDotNet.Artifacts
mkdir -p "$out"
dotnet build "$project" -c Release -nologo -v q -p:UseSharedCompilation=false
dll="$project/bin/Release/net10.0/Mesh.Core.Benchmarks.dll"
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--filter '*')
echo "== formats benchmarks $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(nproc) cores: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
dotnet "$dll" "${args[@]}" --artifacts "$out"
echo "== footprint"
dotnet "$dll" footprint | tee "$out/footprint.txt"
