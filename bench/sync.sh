#!/usr/bin/env bash
# ./mesh bench sync: accounts and synchronisation end to end, through the client SDK against a stack of
# its own (bench/Mesh.Sync.Benchmarks): Transact of one ~1 KB entry with 1, 16 and 64 clients against a
# raw Npgsql INSERT of the same row in the same PostgreSQL (same run, alternating); Ticket vs Profile
# authentication (in process and end to end); download of 10 000 entries to a fresh device in JSON and
# JSON-B; peak memory (VmHWM) of the gateway, account and sync processes. Prints the tables and updates
# docs/benchmarks.md (Sync).
#
# The stack is its own: state folder .state/bench-sync and ports 58xxx (override with the usual
# MESH_STATE, MESH_PG_PORT, ... variables). If it is not running, it is started with ./mesh up and
# stopped again afterwards.
#
# Settings (environment): MESH_BENCH_SCHEME (https: the HTTPS port, the client pinning the state folder's
# certificate; http: the plain-HTTP port, where requests and answers are encrypted), MESH_BENCH_TRIALS (5), MESH_BENCH_DURATION seconds per trial
# and target (4), MESH_BENCH_WARMUP (10), MESH_BENCH_CONCURRENCY ("1 16 64"), MESH_BENCH_PROFILE_CONCURRENCY
# ("1 16"; "0" for none), MESH_BENCH_ENTRY_BYTES (1024), MESH_BENCH_ENCODING (json), MESH_BENCH_DOWNLOAD_ENTRIES
# (10000), MESH_BENCH_DOWNLOAD_TRIALS (5), MESH_BENCH_AUTH_TRIALS (5), MESH_BENCH_PARTS ("transact auth
# download"), MESH_BENCH_NO_DOC=1 to leave the doc alone.
set -euo pipefail
MESH_ROOT="${MESH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export MESH_ROOT
cd "$MESH_ROOT"

# This benchmark's own stack, away from the development stack (55xxx) and ./mesh test's (56xxx).
export MESH_STATE="${MESH_STATE:-$MESH_ROOT/.state/bench-sync}"
export MESH_PG_PORT="${MESH_PG_PORT:-58432}"
export MESH_RABBIT_PORT="${MESH_RABBIT_PORT:-58672}"
export MESH_RABBIT_DIST_PORT="${MESH_RABBIT_DIST_PORT:-58673}"
export MESH_EPMD_PORT="${MESH_EPMD_PORT:-58369}"
export MESH_RABBIT_NODE="${MESH_RABBIT_NODE:-mesh-bench-sync@localhost}"
export MESH_GATEWAY_HTTPS_PORT="${MESH_GATEWAY_HTTPS_PORT:-58443}"
export MESH_GATEWAY_HTTP_PORT="${MESH_GATEWAY_HTTP_PORT:-58080}"
n=1
for s in ACCOUNT SYNC MESSAGING PUBLICATION THRESHOLD; do
  grpc="MESH_${s}_GRPC_PORT"; http="MESH_${s}_HTTP_PORT"
  export "$grpc=${!grpc:-5810$n}" "$http=${!http:-5820$n}"
  n=$((n + 1))
done
source infra/scripts/lib.sh
use_instance up

SCHEME="${MESH_BENCH_SCHEME:-https}"
TRIALS="${MESH_BENCH_TRIALS:-5}"
DURATION="${MESH_BENCH_DURATION:-4}"
WARMUP="${MESH_BENCH_WARMUP:-10}"
CONCURRENCY="${MESH_BENCH_CONCURRENCY:-1 16 64}"
PROFILE_CONCURRENCY="${MESH_BENCH_PROFILE_CONCURRENCY:-1 16}"
ENTRY_BYTES="${MESH_BENCH_ENTRY_BYTES:-1024}"
ENCODING="${MESH_BENCH_ENCODING:-json}"
DOWNLOAD_ENTRIES="${MESH_BENCH_DOWNLOAD_ENTRIES:-10000}"
DOWNLOAD_TRIALS="${MESH_BENCH_DOWNLOAD_TRIALS:-5}"
AUTH_TRIALS="${MESH_BENCH_AUTH_TRIALS:-5}"
PARTS="${MESH_BENCH_PARTS:-transact auth download}"
DOC="$MESH_ROOT/docs/benchmarks.md"
case "$SCHEME" in http|https) ;; *) die "MESH_BENCH_SCHEME must be http or https, not '$SCHEME'" ;; esac

WORK="$(mktemp -d)"
started_stack=0
cleanup() {
  [ "$started_stack" = 1 ] && { say "stopping the stack this benchmark started"; bash "$MESH_ROOT/infra/scripts/down.sh" || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the stack ----------------------------------------------------------------------------------
if curl -kfsS -o /dev/null --max-time 2 "https://127.0.0.1:$MESH_GATEWAY_HTTPS_PORT/health/ready" 2>/dev/null; then
  say "a stack is running in $MESH_STATE; using it"
else
  say "starting a stack in $MESH_STATE (ports 58xxx), stopped again afterwards"
  started_stack=1
  # 64 clients: the sync service and the gateway (replay rows) each open up to 64 connections, the
  # baseline 64 more; PostgreSQL's default of 100 is too few. Durability settings stay the defaults.
  export PG_EXTRA_OPTIONS="${PG_EXTRA_OPTIONS:--c max_connections=300}"
  bash "$MESH_ROOT/infra/scripts/up.sh" >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; die "./mesh up failed"; }
fi
if [ "$SCHEME" = https ]; then endpoint="https://127.0.0.1:$MESH_GATEWAY_HTTPS_PORT/.well-known/mmm"; else endpoint="http://127.0.0.1:$MESH_GATEWAY_HTTP_PORT/.well-known/mmm"; fi

# --- the runner ---------------------------------------------------------------------------------
say "building bench/Mesh.Sync.Benchmarks (Release)"
dotnet build bench/Mesh.Sync.Benchmarks -c Release --nologo --disable-build-servers -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; die "build of bench/Mesh.Sync.Benchmarks failed"; }
# The postmaster, whose children's CPU time is PostgreSQL's share.
pg_pid="$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
args=(--endpoint "$endpoint" --cert "$DIR/certs/gateway.crt" --pg "$(pg_connection_string)" --pids "$PIDS" ${pg_pid:+--pg-pid "$pg_pid"}
  --parts "$(echo $PARTS | tr ' ' ',')" --trials "$TRIALS" --duration "$DURATION" --warmup "$WARMUP"
  --concurrency "$(echo $CONCURRENCY | tr ' ' ',')" --profile-concurrency "$(echo $PROFILE_CONCURRENCY | tr ' ' ',')"
  --entry-bytes "$ENTRY_BYTES" --encoding "$ENCODING" --download-entries "$DOWNLOAD_ENTRIES"
  --download-trials "$DOWNLOAD_TRIALS" --auth-trials "$AUTH_TRIALS" --work "$WORK")
started_at="$(date -u '+%Y-%m-%d %H:%M UTC')"
dotnet bench/Mesh.Sync.Benchmarks/bin/Release/net10.0/Mesh.Sync.Benchmarks.dll "${args[@]}" >"$WORK/report.md"
echo
cat "$WORK/report.md"

[ "${MESH_BENCH_NO_DOC:-0}" = 1 ] && exit 0
settings=""
for v in SCHEME TRIALS DURATION WARMUP CONCURRENCY PROFILE_CONCURRENCY ENTRY_BYTES ENCODING DOWNLOAD_ENTRIES DOWNLOAD_TRIALS AUTH_TRIALS PARTS; do
  var="MESH_BENCH_$v"
  if [ -n "${!var:-}" ]; then case "${!var}" in *" "*) settings+="$var=\"${!var}\" " ;; *) settings+="$var=${!var} " ;; esac; fi
done
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
{
  echo "Measured $started_at on $(nproc) cores ($cpu), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $(dotnet --version), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown);"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; the run took $((SECONDS / 60)) min $((SECONDS % 60)) s$([ "$started_stack" = 1 ] && echo ", starting the stack included")."
  echo "Command: \`${settings}./mesh bench sync\`."
  echo
  cat "$WORK/report.md"
} >"$WORK/section.md"
# Only the text between this benchmark's markers changes; the rest of the doc belongs to others.
grep -qF "<!-- bench:sync:begin -->" "$DOC" || die "$DOC has no <!-- bench:sync:begin --> marker"
awk -v file="$WORK/section.md" '
  $0 == "<!-- bench:sync:begin -->" { print; while ((getline line < file) > 0) print line; skipping = 1; next }
  $0 == "<!-- bench:sync:end -->" { skipping = 0 }
  !skipping { print }' "$DOC" >"$WORK/doc.md"
cp "$WORK/doc.md" "$DOC"
say "updated $DOC (Sync)"
