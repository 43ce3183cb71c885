#!/usr/bin/env bash
# ./mesh bench hello: Hello through the whole stack against a bare Kestrel baseline answering the same
# bytes, measured in the same run with wrk, 1 and 32 connections, over plain HTTP/1.1 and HTTPS (TLS 1.3,
# HTTP/1.1). Two stack targets: the stack's gateway as configured (by default it keeps the account
# service's Hello answer for a few seconds, ADR 0007), and a second gateway of the same stack with that
# cache off, so every Hello goes gateway -> gRPC -> account service. Prints the table and updates
# docs/benchmarks.md (Platform).
#
# Settings (environment): MESH_BENCH_TRIALS (3), MESH_BENCH_DURATION seconds per wrk run (10),
# MESH_BENCH_CONNECTIONS ("1 32"), MESH_BENCH_SCHEMES ("http https"), MESH_BENCH_NO_DOC=1 to leave the doc alone,
# and the ./mesh port settings (MESH_GATEWAY_HTTP_PORT, MESH_GATEWAY_HTTPS_PORT, ...).
set -euo pipefail
MESH_ROOT="${MESH_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export MESH_ROOT
cd "$MESH_ROOT"
source infra/scripts/lib.sh
use_instance up

TRIALS="${MESH_BENCH_TRIALS:-3}"
DURATION="${MESH_BENCH_DURATION:-10}"
CONNECTIONS="${MESH_BENCH_CONNECTIONS:-1 32}"
SCHEMES="${MESH_BENCH_SCHEMES:-http https}"
DOC="$MESH_ROOT/docs/benchmarks.md"
LUA="$MESH_ROOT/bench/hello.lua"
HELLO='{"HelloRequest":{}}'

command -v wrk >/dev/null || ensure_packages wrk
command -v wrk >/dev/null || die "wrk is not installed (Debian package 'wrk')"

WORK="$(mktemp -d)"
started_stack=0
baseline_pid=""
uncached_pid=""
cleanup() {
  [ -n "$baseline_pid" ] && terminate "$baseline_pid" 10
  [ -n "$uncached_pid" ] && terminate "$uncached_pid" 20 && rm -f "$PIDS/gateway-uncached.pid"
  [ "$started_stack" = 1 ] && { say "stopping the stack this benchmark started"; bash "$MESH_ROOT/infra/scripts/down.sh" || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

gateway_url() { if [ "$1" = https ]; then echo "https://127.0.0.1:$MESH_GATEWAY_HTTPS_PORT"; else echo "http://127.0.0.1:$MESH_GATEWAY_HTTP_PORT"; fi; }
UNCACHED_HTTPS_PORT="${MESH_BENCH_UNCACHED_HTTPS_PORT:-$((MESH_GATEWAY_HTTPS_PORT + 10))}"
UNCACHED_HTTP_PORT="${MESH_BENCH_UNCACHED_HTTP_PORT:-$((MESH_GATEWAY_HTTP_PORT + 10))}"
uncached_url() { if [ "$1" = https ]; then echo "https://127.0.0.1:$UNCACHED_HTTPS_PORT"; else echo "http://127.0.0.1:$UNCACHED_HTTP_PORT"; fi; }

# --- the stack ----------------------------------------------------------------------------------
if curl -kfsS -o /dev/null --max-time 2 "$(gateway_url https)/health/ready" 2>/dev/null; then
  say "the stack is running; using it"
else
  say "the stack is not running; starting it (and stopping it afterwards)"
  started_stack=1
  bash "$MESH_ROOT/infra/scripts/up.sh"
fi
CERTS="$DIR/certs"

# --- a second gateway of the same stack, with the Hello cache off ------------------------------
say "starting a second gateway with Mesh:Gateway:HelloCacheSeconds=0 on ports $UNCACHED_HTTPS_PORT/$UNCACHED_HTTP_PORT"
spawn_gateway gateway-uncached "$UNCACHED_HTTPS_PORT" "$UNCACHED_HTTP_PORT" "Mesh__Gateway__HelloCacheSeconds=0"
uncached_pid="$(cat "$PIDS/gateway-uncached.pid")"
for _ in $(seq 1 240); do
  curl -kfsS -o /dev/null --max-time 2 "$(uncached_url https)/health/ready" 2>/dev/null && break
  kill -0 "$uncached_pid" 2>/dev/null || { tail -20 "$LOGS/gateway-uncached.log" >&2; die "the second gateway exited"; }
  sleep 0.25
done
curl -kfsS -o /dev/null --max-time 2 "$(uncached_url https)/health/ready" || die "the second gateway is not ready ($LOGS/gateway-uncached.log)"

# --- a real Hello response, which the baseline will answer with ---------------------------------
for scheme in $SCHEMES; do
  code="$(curl -ksS -o "$WORK/hello-$scheme.body" -D "$WORK/hello-$scheme.headers" -w '%{http_code}' --max-time 10 \
    -X POST -H 'Content-Type: application/json' --data-binary "$HELLO" "$(gateway_url "$scheme")/.well-known/mmm")" \
    || die "Hello over $scheme failed: is the gateway up? ($LOGS/gateway.log)"
  case "$code" in 2??) ;; *) die "Hello over $scheme answered HTTP $code: $(head -c 300 "$WORK/hello-$scheme.body")" ;; esac
  [ -s "$WORK/hello-$scheme.body" ] || die "Hello over $scheme answered HTTP $code with an empty body"
  echo "$code" >"$WORK/hello-$scheme.status"
done
first="${SCHEMES%% *}"
content_type="$(tr -d '\r' <"$WORK/hello-$first.headers" | awk -F': ' 'tolower($1) == "content-type" { print $2 }' | tail -1)"
[ -n "$content_type" ] || die "the Hello response has no Content-Type"
say "Hello answers HTTP $(cat "$WORK/hello-$first.status"), $content_type, $(wc -c <"$WORK/hello-$first.body") bytes"

# --- the baseline -----------------------------------------------------------------------------
say "building the baseline (bench/Mesh.Bench.Baseline)"
dotnet build bench/Mesh.Bench.Baseline -c Release --nologo --disable-build-servers -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; die "build of the baseline failed"; }
mkdir -p "$LOGS"
setsid dotnet bench/Mesh.Bench.Baseline/bin/Release/net10.0/Mesh.Bench.Baseline.dll \
  --body "$WORK/hello-$first.body" --content-type "$content_type" --status "$(cat "$WORK/hello-$first.status")" \
  --cert "$CERTS/gateway.crt" --key "$CERTS/gateway.key" --ready-file "$WORK/baseline.ready" \
  >"$LOGS/bench-baseline.log" 2>&1 </dev/null &
baseline_pid=$!
for _ in $(seq 1 120); do [ -s "$WORK/baseline.ready" ] && break; kill -0 "$baseline_pid" 2>/dev/null || break; sleep 0.25; done
[ -s "$WORK/baseline.ready" ] || { cat "$LOGS/bench-baseline.log" >&2; die "the baseline did not start"; }
eval "$(sed 's/ /\n/g' "$WORK/baseline.ready" | sed 's/^/baseline_/')"
baseline_url() { if [ "$1" = https ]; then echo "https://127.0.0.1:$baseline_https"; else echo "http://127.0.0.1:$baseline_http"; fi; }
for scheme in $SCHEMES; do
  curl -ksS -o "$WORK/baseline-$scheme.body" --max-time 10 -X POST -H 'Content-Type: application/json' \
    --data-binary "$HELLO" "$(baseline_url "$scheme")/.well-known/mmm"
  cmp -s "$WORK/baseline-$scheme.body" "$WORK/hello-$first.body" || die "the baseline over $scheme does not answer the captured bytes"
  curl -ksS -o "$WORK/uncached-$scheme.body" --max-time 10 -X POST -H 'Content-Type: application/json' \
    --data-binary "$HELLO" "$(uncached_url "$scheme")/.well-known/mmm"
  cmp -s "$WORK/uncached-$scheme.body" "$WORK/hello-$first.body" || die "the second gateway over $scheme does not answer the same Hello"
done

# --- wrk runs -----------------------------------------------------------------------------------
# One wrk thread (-t1): the machine's cores are shared by wrk and the servers. Stack and baseline
# alternate within each trial so load from elsewhere falls on both.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'; }
run_wrk() { # target scheme connections duration -> "rps p50ms p99ms"
  local url out
  case "$1" in
    stack) url="$(gateway_url "$2")" ;;
    uncached) url="$(uncached_url "$2")" ;;
    *) url="$(baseline_url "$2")" ;;
  esac
  out="$(wrk -t1 -c"$3" -d"$4"s --timeout 5s --latency -s "$LUA" "$url/.well-known/mmm" 2>&1)" || { echo "$out" >&2; die "wrk failed against the $1 over $2"; }
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then echo "$out" >&2; die "wrk saw errors against the $1 over $2"; fi
  local rps p50 p99
  rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  [ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || { echo "$out" >&2; die "could not read wrk's output"; }
  echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for scheme in $SCHEMES; do
  for c in $CONNECTIONS; do
    say "$scheme, $c connection(s): warm-up"
    for target in stack uncached baseline; do run_wrk "$target" "$scheme" "$c" 3 >"$WORK/last"; done
    for t in $(seq 1 "$TRIALS"); do
      case $((t % 3)) in
        1) order="stack uncached baseline" ;;
        2) order="baseline stack uncached" ;;
        *) order="uncached baseline stack" ;;
      esac
      for target in $order; do
        run_wrk "$target" "$scheme" "$c" "$DURATION" >"$WORK/last"
        read -r rps p50 p99 <"$WORK/last"
        say "$scheme c=$c trial $t $target: $rps req/s, p50 $p50 ms, p99 $p99 ms"
        echo "$rps" >>"$WORK/$target-$scheme-$c.rps"; echo "$p50" >>"$WORK/$target-$scheme-$c.p50"; echo "$p99" >>"$WORK/$target-$scheme-$c.p99"
      done
    done
  done
done

# --- report -------------------------------------------------------------------------------------
m() { median <"$WORK/$1"; }
{
  echo "| transport | connections | target | requests/s | p50 (ms) | p99 (ms) | stack/baseline requests/s |"
  echo "|---|---:|---|---:|---:|---:|---:|"
  for scheme in $SCHEMES; do
    if [ "$scheme" = https ]; then label="HTTPS (TLS 1.3, HTTP/1.1)"; else label="HTTP/1.1"; fi
    for c in $CONNECTIONS; do
      for target in stack uncached baseline; do
        case "$target" in
          stack) name="stack as configured (Hello kept at the gateway, 5 s)" ;;
          uncached) name="stack, Hello cache off (each Hello to the account service)" ;;
          *) name="bare Kestrel baseline" ;;
        esac
        ratio=""
        [ "$target" != baseline ] && ratio="$(awk -v s="$(m "$target-$scheme-$c.rps")" -v b="$(m "baseline-$scheme-$c.rps")" 'BEGIN { printf "%.0f%%", 100 * s / b }')"
        printf '| %s | %s | %s | %.0f | %.2f | %.2f | %s |\n' "$label" "$c" "$name" \
          "$(m "$target-$scheme-$c.rps")" "$(m "$target-$scheme-$c.p50")" "$(m "$target-$scheme-$c.p99")" "$ratio"
      done
    done
  done
} >"$WORK/table.md"
echo
cat "$WORK/table.md"

[ "${MESH_BENCH_NO_DOC:-0}" = 1 ] && exit 0
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($cpu), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "$(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version), $(wrk -v 2>&1 | head -1 | awk '{ print $1, $2 }'),"
  echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
  echo "Command: \`MESH_BENCH_TRIALS=$TRIALS MESH_BENCH_DURATION=$DURATION ./mesh bench hello\`:"
  echo "\`wrk -t1 -c{$(echo "$CONNECTIONS" | tr ' ' ',')} -d${DURATION}s --latency -s bench/hello.lua URL/.well-known/mmm\`,"
  echo "median of $TRIALS trials per row (the three targets take turns within a trial, in a rotating order), after a 3 s warm-up each."
  echo "The response is $(wc -c <"$WORK/hello-$first.body") bytes ($content_type, HTTP $(cat "$WORK/hello-$first.status"))."
  echo
  cat "$WORK/table.md"
} >"$WORK/section.md"
# Only the text between this benchmark's markers changes; the rest of the doc belongs to others.
grep -qF "<!-- bench:hello:begin -->" "$DOC" || die "$DOC has no <!-- bench:hello:begin --> marker"
awk -v file="$WORK/section.md" '
  $0 == "<!-- bench:hello:begin -->" { print; while ((getline line < file) > 0) print line; skipping = 1; next }
  $0 == "<!-- bench:hello:end -->" { skipping = 0 }
  !skipping { print }' "$DOC" >"$WORK/doc.md"
cp "$WORK/doc.md" "$DOC"
say "updated $DOC (Platform, Hello through the stack)"
