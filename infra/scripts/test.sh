#!/usr/bin/env bash
# ./mesh test: its own PostgreSQL and RabbitMQ (own ports, own state dir), every test of the
# solution against them, one closing line 'N passed, N failed, N skipped'; stops what it started.
set -uo pipefail
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance test

cleanup() {
  trap - EXIT INT TERM
  rabbit_stop
  pg_stop
  case "$PG_DIR" in "$DIR"/*) ;; *) rm -rf "$PG_DIR" ;; esac
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

set -e
ensure_packages haproxy
# Throwaway: whatever a previous run left behind is stopped and wiped.
rabbit_stop; pg_stop
rm -rf "$DIR" "$PG_DIR"; mkdir -p "$DIR"
# fsync off: this cluster is discarded after the run.
PG_EXTRA_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
pg_start
rabbit_start
set +e

# Read by tests/Mesh.Integration.Tests (see README, "Configuration").
MESH_TEST_PG="$(pg_connection_string)"
MESH_TEST_RABBIT="$(rabbit_uri)"
export MESH_TEST_PG MESH_TEST_RABBIT

results="$DIR/test-results"
mkdir -p "$results"
log="$results/dotnet-test.log"

say "building"
dotnet build Mesh.Services.sln -c Release --nologo --disable-build-servers -v q >"$results/build.log" 2>&1
if ! grep -q "Build succeeded" "$results/build.log"; then
  grep -E "error|Error" "$results/build.log" | sort -u | head -40
  say "build failed (see $results/build.log)"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

say "running tests"
dotnet test Mesh.Services.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The whole run (no arguments such as --filter) also checks the stack as a user starts it.
if [ $# -eq 0 ]; then
  say "checking ./mesh up, the README's flows and ./mesh down"
  stack_log="$results/stack-check.log"
  MESH_STACK_CHECK_STATE="$DIR/stack" bash "$MESH_ROOT/infra/scripts/stack-check.sh" 2>&1 | tee "$stack_log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  passed=$((passed + $(grep -c '^PASS ' "$stack_log"))); failed=$((failed + $(grep -c '^FAIL ' "$stack_log")))
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
