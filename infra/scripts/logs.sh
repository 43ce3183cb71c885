#!/usr/bin/env bash
# ./mesh logs [SERVICE]: follows the log files of ./mesh up, or of one component.
set -euo pipefail
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance up

case "${1:-}" in
  "") files=("$LOGS"/*.log "$PG_DIR/postgres.log") ;;
  postgres|postgresql) files=("$PG_DIR/postgres.log") ;;
  rabbitmq) files=("$LOGS/rabbitmq.log" "$RABBIT_DIR/log/$NODE.log") ;;
  *) [ -f "$LOGS/$1.log" ] || die "no log for '$1' in $LOGS (components: ${SERVICES[*]} gateway postgres rabbitmq)"
     files=("$LOGS/$1.log") ;;
esac
existing=()
for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
[ ${#existing[@]} -gt 0 ] || die "no log files yet in $DIR (has ./mesh up run?)"
exec tail -n 50 -F "${existing[@]}"
