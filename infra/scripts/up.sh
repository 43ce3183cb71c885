#!/usr/bin/env bash
# ./mesh up: PostgreSQL, RabbitMQ, the five services and the gateway as background processes.
set -euo pipefail
source "$MESH_ROOT/infra/scripts/lib.sh"
use_instance up

ensure_packages
mkdir -p "$DIR"
pg_start
rabbit_start

say "building (Release)"
for p in gateway "${SERVICES[@]}"; do
  dotnet build "$(project_of "$p")" -c Release --nologo --disable-build-servers -v q -clp:ErrorsOnly >"$LOGS/build-$p.log" 2>&1 \
    || { cat "$LOGS/build-$p.log" >&2; die "build of $p failed"; }
done

# A self-signed certificate for the gateway, made once.
CERTS="$DIR/certs"
if [ ! -s "$CERTS/gateway.crt" ]; then
  mkdir -p "$CERTS"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$CERTS/gateway.key" -out "$CERTS/gateway.crt" 2>/dev/null
  chmod 600 "$CERTS/gateway.key"
fi

sync_address="http://127.0.0.1:$MESH_SYNC_GRPC_PORT"
# The gateway's ticket key (ADR 0005), made once like the certificate; replicas must share it.
if [ ! -s "$DIR/ticket.key" ]; then
  (umask 077; openssl rand -base64 32 >"$DIR/ticket.key")
fi
# The key-encryption key: the account service seals the private keys it keeps in PostgreSQL under
# it and the gateway opens the host key with it. Made once and kept: the sealed keys need it.
if [ ! -s "$DIR/key-encryption.key" ]; then
  (umask 077; openssl rand -base64 32 >"$DIR/key-encryption.key")
fi
key_encryption_key="$(cat "$DIR/key-encryption.key")"

common_env=(
  "ConnectionStrings__Postgres=$(pg_connection_string)"
  "ConnectionStrings__RabbitMq=$(rabbit_uri)"
  "Mesh__BindAddress=$MESH_BIND_ADDRESS"
)
for s in "${SERVICES[@]}"; do
  dll="$(dll_of "$s")"
  if live_pid "$s" "$(basename "$dll")" >/dev/null; then say "$s already running"; continue; fi
  env=("${common_env[@]}" "Mesh__GrpcPort=$(grpc_port_of "$s")" "Mesh__HttpPort=$(http_port_of "$s")")
  # The account service creates and deletes each account's stores at the sync service.
  if [ "$s" = account ]; then
    env+=("Mesh__Services__Sync=$sync_address" "Mesh__Account__Domains=$MESH_ACCOUNT_DOMAINS" "Mesh__KeyEncryptionKey=$key_encryption_key")
  fi
  spawn "$s" "$(dirname "$dll")" env "${env[@]}" dotnet "$dll"
done
gateway_dll="$(dll_of gateway)"
if live_pid gateway "$(basename "$gateway_dll")" >/dev/null; then
  say "gateway already running"
else
  spawn_gateway gateway "$MESH_GATEWAY_HTTPS_PORT" "$MESH_GATEWAY_HTTP_PORT"
fi

ready=0
for s in "${SERVICES[@]}"; do
  await_ready "http://127.0.0.1:$(http_port_of "$s")/health/ready" 90 "$s" && say "$s ready" || ready=1
done
await_ready "https://127.0.0.1:$MESH_GATEWAY_HTTPS_PORT/health/ready" 60 gateway && say "gateway ready" || ready=1
[ $ready -eq 0 ] || die "not everything is ready: './mesh status', logs in $LOGS"

host=localhost
echo
echo "Mesh gateway:"
echo "  https://$host:$MESH_GATEWAY_HTTPS_PORT/.well-known/mmm   (self-signed certificate: $CERTS/gateway.crt)"
echo "  http://$host:$MESH_GATEWAY_HTTP_PORT/.well-known/mmm"
echo "Stop with ./mesh down; logs in $LOGS"
