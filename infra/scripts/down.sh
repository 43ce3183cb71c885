#!/usr/bin/env bash
# ./mesh down: stops, by pid, everything ./mesh up started.
set -euo pipefail
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance up

for name in gateway "${SERVICES[@]}"; do
  if pid="$(live_pid "$name" "$(basename "$(dll_of "$name")")")"; then
    say "stopping $name (pid $pid)"
    terminate "$pid" 20
  fi
  rm -f "$PIDS/$name.pid"
done
rabbit_stop
pg_stop
say "stopped"
