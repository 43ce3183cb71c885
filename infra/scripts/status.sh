#!/usr/bin/env bash
# ./mesh status: each component of ./mesh up and whether it is up.
set -uo pipefail
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance up

row() { printf '  %-12s %-5s %s\n' "$1" "$2" "$3"; }
echo "state: $DIR"
if pg_running; then row postgresql up "127.0.0.1:$PG_PORT pid $(head -1 "$PG_DIR/data/postmaster.pid")"; else row postgresql down ""; fi
if pid="$(live_pid rabbitmq-beam beam)"; then row rabbitmq up "127.0.0.1:$RABBIT_PORT pid $pid node $NODE"; else row rabbitmq down ""; fi
if pid="$(live_pid epmd epmd)"; then row epmd up "127.0.0.1:$EPMD_PORT pid $pid"; else row epmd down ""; fi
for name in "${SERVICES[@]}" gateway; do
  if pid="$(live_pid "$name" "$(basename "$(dll_of "$name")")")"; then
    if [ "$name" = gateway ]; then url="https://127.0.0.1:$MESH_GATEWAY_HTTPS_PORT/health/ready"; else url="http://127.0.0.1:$(http_port_of "$name")/health/ready"; fi
    if curl -kfsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then ready=ready; else ready="not ready"; fi
    row "$name" up "pid $pid, $ready ($url)"
  else
    row "$name" down ""
  fi
done
