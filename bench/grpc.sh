#!/usr/bin/env bash
# ./mesh bench grpc: the gRPC layer (libs/Mesh.Grpc) against a raw HttpClient HTTP/2 POST of the same
# bytes on the same Kestrel server, in the same run; allocations per call and the client alone with BenchmarkDotNet.
# Prints the tables and updates docs/benchmarks.md (Platform). Arguments pass to the runner
# (e.g. --trials 3 --duration 1); MESH_BENCH_NO_DOC=1 leaves the doc alone.
set -euo pipefail
MESH_ROOT="${MESH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$MESH_ROOT"
DOC="$MESH_ROOT/docs/benchmarks.md"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "mesh: building bench/Mesh.Grpc.Benchmarks (Release)"
dotnet build bench/Mesh.Grpc.Benchmarks -c Release --nologo --disable-build-servers -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }
runner=(dotnet "$MESH_ROOT/bench/Mesh.Grpc.Benchmarks/bin/Release/net10.0/Mesh.Grpc.Benchmarks.dll")

"${runner[@]}" "$@" | tee "$WORK/roundtrips.md"
echo "mesh: allocations per call (BenchmarkDotNet MemoryDiagnoser)"
(cd "$WORK" && "${runner[@]}" memory) >"$WORK/memory.log" 2>&1 || { cat "$WORK/memory.log" >&2; exit 1; }
# BenchmarkDotNet's summary table: its header, separator and the rows of the two benchmarks.
grep -E "^\| (Method|-+|'.*') " "$WORK/memory.log" | tee "$WORK/memory.md"
echo "mesh: the client alone, answered in memory (BenchmarkDotNet)"
(cd "$WORK" && "${runner[@]}" client) >"$WORK/client.log" 2>&1 || { cat "$WORK/client.log" >&2; exit 1; }
grep -E "^\| (Method|-+|'.*') " "$WORK/client.log" | tee "$WORK/client.md"

[ "${MESH_BENCH_NO_DOC:-0}" = 1 ] && exit 0
{
  echo "Command: \`./mesh bench grpc${*:+ $*}\`, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)."
  echo
  cat "$WORK/roundtrips.md"
  echo
  echo "Allocations per round trip (client and server together, one process; BenchmarkDotNet 0.14.0 ShortRun, in-process toolchain;"
  echo "its Mean column is a short run's mean, quoted for the allocations only — the medians above are the timing result):"
  echo
  cat "$WORK/memory.md"
  echo
  echo "The client alone: our generated client and a raw HttpMessageInvoker (a CancellationTokenSource per call, the body read"
  echo "as a stream into a new 512-byte array) send the same request through a handler that answers at once, one thread, no sockets (BenchmarkDotNet 0.14.0"
  echo "default job, in-process toolchain):"
  echo
  cat "$WORK/client.md"
} >"$WORK/section.md"
# Only the text between this benchmark's markers changes; the rest of the doc belongs to others.
grep -qF "<!-- bench:grpc:begin -->" "$DOC" || { echo "mesh: $DOC has no <!-- bench:grpc:begin --> marker" >&2; exit 1; }
awk -v file="$WORK/section.md" '
  $0 == "<!-- bench:grpc:begin -->" { print; while ((getline line < file) > 0) print line; skipping = 1; next }
  $0 == "<!-- bench:grpc:end -->" { skipping = 0 }
  !skipping { print }' "$DOC" >"$WORK/doc.md"
cp "$WORK/doc.md" "$DOC"
echo "mesh: updated $DOC (Platform, gRPC layer)"
