#!/usr/bin/env bash
# Run by ./mesh test after the .NET tests: the README's two flows against a real './mesh up', with
# its own state folder and ports (29xxx, below the kernel's ephemeral range, so no outgoing connection of the test run holds one) so it never meets a stack the user runs. up prints the
# gateway URLs; a bare Hello answers 201 with a signed envelope; meshman creates an account, saves a
# password, and a copy of the device prints it after a sync; down leaves nothing running.
# Prints 'PASS name' or 'FAIL name' per check and, last, 'stack check: N passed, N failed'.
set -uo pipefail
: "${MESH_ROOT:?run through ./mesh}"
export MESH_STATE="${MESH_STACK_CHECK_STATE:-$MESH_ROOT/.state/test/stack}"
export MESH_PG_PORT=29432 MESH_RABBIT_PORT=29672 MESH_RABBIT_DIST_PORT=29673 MESH_EPMD_PORT=29369
export MESH_RABBIT_NODE=mesh-check@localhost MESH_GATEWAY_HTTPS_PORT=29443 MESH_GATEWAY_HTTP_PORT=29080
export MESH_ACCOUNT_GRPC_PORT=29101 MESH_ACCOUNT_HTTP_PORT=29201 MESH_SYNC_GRPC_PORT=29102 MESH_SYNC_HTTP_PORT=29202
export MESH_MESSAGING_GRPC_PORT=29103 MESH_MESSAGING_HTTP_PORT=29203 MESH_PUBLICATION_GRPC_PORT=29104 MESH_PUBLICATION_HTTP_PORT=29204
export MESH_THRESHOLD_GRPC_PORT=29105 MESH_THRESHOLD_HTTP_PORT=29205
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance up

passed=0; failed=0
check() { # check NAME COMMAND... : runs the command, records PASS/FAIL with its output on failure
  local name="$1"; shift
  local output
  if output="$("$@" 2>&1)"; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; printf '%s\n' "$output" | tail -n 20 | sed 's/^/    /'; failed=$((failed + 1))
  fi
}

rm -rf "$MESH_STATE"
work="$(mktemp -d)"
meshman() { dotnet "$MESH_ROOT/clients/meshman/bin/Release/net10.0/meshman.dll" "$@"; }
url="http://localhost:$MESH_GATEWAY_HTTP_PORT"

up_prints_the_gateway_urls() {
  bash "$MESH_ROOT/infra/scripts/up.sh" >"$work/up.log" 2>&1 || { cat "$work/up.log"; return 1; }
  grep -qF "https://localhost:$MESH_GATEWAY_HTTPS_PORT/.well-known/mmm" "$work/up.log" &&
    grep -qF "$url/.well-known/mmm" "$work/up.log" || { cat "$work/up.log"; return 1; }
}

bare_hello_is_answered_with_a_signed_envelope() {
  local code
  code="$(curl -s -o "$work/hello" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    "$url/.well-known/mmm" -d '{"HelloRequest":{}}')" || return 1
  [ "$code" = 201 ] || { echo "HTTP $code"; cat "$work/hello"; return 1; }
  # A JSON DARE envelope whose trailer carries the host's signature.
  head -c 2 "$work/hello" | grep -qF '[{' && grep -qF '"signatures"' "$work/hello" || { cat "$work/hello"; return 1; }
}

meshman_password_reaches_a_copy_of_the_device() {
  local home="$work/home" copy="$work/copy"
  meshman account create alice@example.com --service "$url" --home "$home" | tee "$work/create" &&
    grep -qE '^UDF=M[A-Z2-7-]+$' "$work/create" &&
    meshman password add ftp.example.com alice1 secret --home "$home" &&
    cp -a "$home" "$copy" &&
    meshman password add www.example.com alice2 other --home "$home" &&
    meshman account sync --home "$copy" &&
    [ "$(meshman password get www.example.com --home "$copy")" = "alice2@www.example.com = [other]" ] &&
    [ "$(meshman password get ftp.example.com --home "$copy")" = "alice1@ftp.example.com = [secret]" ]
}

down_leaves_nothing_running() {
  local pids=() file
  for file in "$PIDS"/*.pid; do [ -f "$file" ] && pids+=("$(cat "$file")"); done
  bash "$MESH_ROOT/infra/scripts/down.sh" || return 1
  local pid left=0
  for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then echo "pid $pid still runs"; left=1; fi; done
  if pgrep -f -- "-D $PG_DIR/data" >/dev/null; then echo "postgres of $PG_DIR still runs"; left=1; fi
  if pgrep -f -- "$NODE" >/dev/null; then echo "rabbitmq node $NODE still runs"; left=1; fi
  [ "$left" = 0 ]
}

check "mesh up prints the gateway URLs" up_prints_the_gateway_urls
if [ "$failed" = 0 ]; then
  check "a bare HelloRequest is answered 201 with a signed envelope" bare_hello_is_answered_with_a_signed_envelope
  check "meshman: a password saved on one device is printed by a copy after sync" meshman_password_reaches_a_copy_of_the_device
fi
check "mesh down leaves nothing running" down_leaves_nothing_running
# A cluster kept outside the state folder (see pg_dir_for) goes too.
case "$PG_DIR" in "$MESH_STATE"/*) ;; *) rm -rf "$PG_DIR" ;; esac
rm -rf "$work"
echo "stack check: $passed passed, $failed failed"
[ "$failed" = 0 ]
