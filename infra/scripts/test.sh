#!/usr/bin/env bash
# ./mesh test: builds the solution, runs every test project and prints one closing line.
set -uo pipefail
cd "$MESH_ROOT"

results="$MESH_ROOT/.state/test-results"
rm -rf "$results"; mkdir -p "$results"
log="$results/dotnet-test.log"

echo "mesh test: building"
if ! dotnet build Mesh.Services.sln -c Release --nologo -v q 2>&1 | tee "$results/build.log" | grep -E "error|Warn|Error" ; then :; fi
if ! grep -q "Build succeeded" "$results/build.log"; then
  echo "mesh test: build failed (see $results/build.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "mesh test: running tests"
dotnet test Mesh.Services.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
