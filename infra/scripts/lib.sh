# Shared by the ./mesh commands: settings, packages, PostgreSQL, RabbitMQ and process handling.
# Sourced, never run. Every setting can be overridden by the environment variable of the same name.

: "${MESH_ROOT:?run through ./mesh}"

MESH_STATE="${MESH_STATE:-$MESH_ROOT/.state}"
MESH_BIND_ADDRESS="${MESH_BIND_ADDRESS:-127.0.0.1}"
MESH_PG_PORT="${MESH_PG_PORT:-55432}"
MESH_RABBIT_PORT="${MESH_RABBIT_PORT:-55672}"
MESH_RABBIT_DIST_PORT="${MESH_RABBIT_DIST_PORT:-55673}"
MESH_EPMD_PORT="${MESH_EPMD_PORT:-55369}"
MESH_RABBIT_NODE="${MESH_RABBIT_NODE:-mesh@localhost}"
MESH_GATEWAY_HTTPS_PORT="${MESH_GATEWAY_HTTPS_PORT:-55443}"
MESH_GATEWAY_HTTP_PORT="${MESH_GATEWAY_HTTP_PORT:-55080}"
MESH_ACCOUNT_GRPC_PORT="${MESH_ACCOUNT_GRPC_PORT:-55101}"
MESH_ACCOUNT_HTTP_PORT="${MESH_ACCOUNT_HTTP_PORT:-55201}"
MESH_SYNC_GRPC_PORT="${MESH_SYNC_GRPC_PORT:-55102}"
MESH_SYNC_HTTP_PORT="${MESH_SYNC_HTTP_PORT:-55202}"
MESH_MESSAGING_GRPC_PORT="${MESH_MESSAGING_GRPC_PORT:-55103}"
MESH_MESSAGING_HTTP_PORT="${MESH_MESSAGING_HTTP_PORT:-55203}"
MESH_PUBLICATION_GRPC_PORT="${MESH_PUBLICATION_GRPC_PORT:-55104}"
MESH_PUBLICATION_HTTP_PORT="${MESH_PUBLICATION_HTTP_PORT:-55204}"
MESH_THRESHOLD_GRPC_PORT="${MESH_THRESHOLD_GRPC_PORT:-55105}"
MESH_THRESHOLD_HTTP_PORT="${MESH_THRESHOLD_HTTP_PORT:-55205}"
# Domains whose accounts the account service binds (comma separated).
MESH_ACCOUNT_DOMAINS="${MESH_ACCOUNT_DOMAINS:-example.com}"
MESH_TEST_STATE="${MESH_TEST_STATE:-$MESH_STATE/test}"
MESH_TEST_PG_PORT="${MESH_TEST_PG_PORT:-56432}"
MESH_TEST_RABBIT_PORT="${MESH_TEST_RABBIT_PORT:-56672}"
MESH_TEST_RABBIT_DIST_PORT="${MESH_TEST_RABBIT_DIST_PORT:-56673}"
MESH_TEST_EPMD_PORT="${MESH_TEST_EPMD_PORT:-56369}"
MESH_TEST_RABBIT_NODE="${MESH_TEST_RABBIT_NODE:-mesh-test@localhost}"

SERVICES=(account sync messaging publication threshold)
PG_BIN=/usr/lib/postgresql/15/bin
RABBIT_BIN=/usr/lib/rabbitmq/bin

say() { echo "mesh: $*"; }
die() { echo "mesh: $*" >&2; exit 1; }

# Selects the instance the functions below act on: 'up' (the dev stack) or 'test' (./mesh test's own).
use_instance() {
  if [ "$1" = test ]; then
    DIR="$MESH_TEST_STATE"; PG_PORT="$MESH_TEST_PG_PORT"; RABBIT_PORT="$MESH_TEST_RABBIT_PORT"
    DIST_PORT="$MESH_TEST_RABBIT_DIST_PORT"; EPMD_PORT="$MESH_TEST_EPMD_PORT"; NODE="$MESH_TEST_RABBIT_NODE"
  else
    DIR="$MESH_STATE"; PG_PORT="$MESH_PG_PORT"; RABBIT_PORT="$MESH_RABBIT_PORT"
    DIST_PORT="$MESH_RABBIT_DIST_PORT"; EPMD_PORT="$MESH_EPMD_PORT"; NODE="$MESH_RABBIT_NODE"
  fi
  PIDS="$DIR/pids"; LOGS="$DIR/logs"; PG_DIR="$(pg_dir_for "$DIR")"; RABBIT_DIR="$DIR/rabbitmq"
}

# The cluster lives in STATE/pg unless the 'postgres' account (which runs it when we are root)
# cannot reach that folder, e.g. a checkout under a private mktemp folder; then it lives in a
# postgres-owned folder under /var/tmp named after the state folder.
pg_dir_for() {
  local dir="$1" probe="$1"
  while [ ! -d "$probe" ]; do probe="$(dirname "$probe")"; done
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$probe" 2>/dev/null; then
    echo "$dir/pg"
  else
    echo "/var/tmp/mesh-pg/$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
  fi
}

# --- packages -------------------------------------------------------------------------------

# Installs the Debian packages that are missing: apt-get update once, then one install.
ensure_packages() {
  local wanted=(postgresql-15 rabbitmq-server libsodium23 curl openssl ca-certificates "$@") missing=() p
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root, or install them)"
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH: install it from https://dot.net"
}

# --- processes --------------------------------------------------------------------------------

# pid of component $1 if its pid file names a live process whose command line contains $2.
live_pid() {
  local file="$PIDS/$1.pid" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

# Sends SIGTERM, waits up to $2 seconds, then SIGKILL.
terminate() {
  local pid="$1" wait="${2:-20}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "pid $pid did not stop in ${wait}s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# Starts "$@" in its own session with stdout/stderr to $LOGS/$1.log; $1 names the component, $2 is the working directory.
spawn() {
  local name="$1" cwd="$2"; shift 2
  mkdir -p "$PIDS" "$LOGS"
  (cd "$cwd" && exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null) &
  echo $! >"$PIDS/$name.pid"
}

# A gateway of this instance: NAME HTTPS_PORT HTTP_PORT [VAR=value ...]. Needs what `up` makes first
# (certificate, ticket key, key-encryption key) and reaches the instance's account and sync services.
spawn_gateway() {
  local name="$1" https="$2" http="$3"; shift 3
  local dll key_encryption_key
  dll="$(dll_of gateway)"
  key_encryption_key="$(cat "$DIR/key-encryption.key")"
  spawn "$name" "$(dirname "$dll")" env "Mesh__BindAddress=$MESH_BIND_ADDRESS" \
    "ConnectionStrings__Postgres=$(pg_connection_string)" "Mesh__Gateway__TicketKeys=$(cat "$DIR/ticket.key")" \
    "Mesh__KeyEncryptionKey=$key_encryption_key" \
    "Mesh__HttpsPort=$https" "Mesh__HttpPort=$http" \
    "Mesh__Tls__CertificatePath=$DIR/certs/gateway.crt" "Mesh__Tls__KeyPath=$DIR/certs/gateway.key" \
    "Mesh__Services__Account=http://127.0.0.1:$MESH_ACCOUNT_GRPC_PORT" "Mesh__Services__Sync=http://127.0.0.1:$MESH_SYNC_GRPC_PORT" \
    "$@" dotnet "$dll"
}

secret() {
  local file="$DIR/secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$DIR/secrets"; chmod 700 "$DIR/secrets"
    (umask 077; openssl rand -hex 16 >"$file")
  fi
  cat "$file"
}

# --- PostgreSQL -------------------------------------------------------------------------------

# initdb refuses to run as root: the cluster belongs to the 'postgres' account then.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_running() { [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; }

pg_start() {
  if pg_running; then say "postgresql already running on 127.0.0.1:$PG_PORT"; return; fi
  mkdir -p "$PG_DIR/run"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$PG_DIR"
  chmod 700 "$PG_DIR"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$PG_DIR/initdb.log" 2>&1 \
      || die "initdb failed (see $PG_DIR/initdb.log)"
  fi
  say "starting postgresql on 127.0.0.1:$PG_PORT"
  local attempt
  for attempt in 1 2; do
    if as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/run ${PG_EXTRA_OPTIONS:-}" start >/dev/null; then
      pg_provision
      return
    fi
    # Its log may be in a folder the caller removes on exit: show why here.
    say "postgresql did not start (attempt $attempt); the end of $PG_DIR/postgres.log:"
    tail -n 15 "$PG_DIR/postgres.log" 2>/dev/null | sed 's/^/    /' >&2
    sleep 3
  done
  die "postgresql did not start (see above; port $PG_PORT in use? set MESH_PG_PORT or MESH_TEST_PG_PORT)"
}

pg_sql() { "$PG_BIN/psql" -h "$PG_DIR/run" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }

# The 'mesh' role (allowed to create databases: integration tests make one each) and database.
pg_provision() {
  local password; password="$(secret pg-password)"
  [ "$(pg_sql "SELECT 1 FROM pg_roles WHERE rolname = 'mesh'")" = 1 ] || pg_sql "CREATE ROLE mesh LOGIN CREATEDB"
  pg_sql "ALTER ROLE mesh PASSWORD '$password'"
  [ "$(pg_sql "SELECT 1 FROM pg_database WHERE datname = 'mesh'")" = 1 ] || pg_sql "CREATE DATABASE mesh OWNER mesh"
}

pg_connection_string() { echo "Host=127.0.0.1;Port=$PG_PORT;Database=mesh;Username=mesh;Password=$(secret pg-password)"; }

pg_stop() {
  pg_running || return 0
  say "stopping postgresql"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
    local pid; pid="$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  fi
}

# --- RabbitMQ ---------------------------------------------------------------------------------

# Runs "$@" with the environment of this instance's node: its own name, ports, directories,
# Erlang cookie (in HOME) and epmd port. A subshell, so HOME does not leak to dotnet.
with_rabbit_env() {
  (
    export HOME="$RABBIT_DIR/home" ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_NODENAME="$NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$RABBIT_PORT"
    export RABBITMQ_DIST_PORT="$DIST_PORT" RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia" RABBITMQ_LOG_BASE="$RABBIT_DIR/log"
    export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
    export RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
    export RABBITMQ_PID_FILE="$RABBIT_DIR/beam.pid"
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    "$@"
  )
}

rabbit_running() { live_pid rabbitmq "$RABBIT_BIN/rabbitmq-server" >/dev/null || live_pid rabbitmq-beam beam >/dev/null; }

rabbit_start() {
  if rabbit_running; then say "rabbitmq already running on 127.0.0.1:$RABBIT_PORT"; return; fi
  mkdir -p "$RABBIT_DIR/home" "$RABBIT_DIR/mnesia" "$RABBIT_DIR/log" "$PIDS"
  local password; password="$(secret rabbitmq-password)"
  # The default user is created on the node's first boot, from this file.
  cat >"$RABBIT_DIR/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$RABBIT_PORT
default_user = mesh
default_pass = $password
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
log.file.level = info
CONF
  echo "[]." >"$RABBIT_DIR/enabled_plugins"
  : >"$RABBIT_DIR/rabbitmq-env.conf"
  echo "[]." >"$RABBIT_DIR/advanced.config"
  if ! live_pid epmd epmd >/dev/null; then
    with_rabbit_env spawn epmd "$RABBIT_DIR" epmd -port "$EPMD_PORT" -address 127.0.0.1
  fi
  say "starting rabbitmq on 127.0.0.1:$RABBIT_PORT (node $NODE, epmd $EPMD_PORT)"
  rm -f "$RABBIT_DIR/beam.pid"
  with_rabbit_env spawn rabbitmq "$RABBIT_DIR" "$RABBIT_BIN/rabbitmq-server"
  if ! with_rabbit_env "$RABBIT_BIN/rabbitmqctl" -q -n "$NODE" wait "$RABBIT_DIR/beam.pid" --timeout 90 >/dev/null 2>&1; then
    tail -20 "$LOGS/rabbitmq.log" >&2 || true
    die "rabbitmq did not start (see $LOGS/rabbitmq.log and $RABBIT_DIR/log)"
  fi
  cp "$RABBIT_DIR/beam.pid" "$PIDS/rabbitmq-beam.pid"
}

rabbit_uri() { echo "amqp://mesh:$(secret rabbitmq-password)@127.0.0.1:$RABBIT_PORT/"; }

rabbit_stop() {
  local pid
  if rabbit_running; then
    say "stopping rabbitmq"
    with_rabbit_env "$RABBIT_BIN/rabbitmqctl" -q -n "$NODE" stop "$RABBIT_DIR/beam.pid" >/dev/null 2>&1 || true
    pid="$(live_pid rabbitmq-beam beam)" && terminate "$pid" 30
    pid="$(live_pid rabbitmq "$RABBIT_BIN/rabbitmq-server")" && terminate "$pid" 10
  fi
  if pid="$(live_pid epmd epmd)"; then terminate "$pid" 5; fi
  rm -f "$PIDS/rabbitmq.pid" "$PIDS/rabbitmq-beam.pid" "$PIDS/epmd.pid"
}

# --- services and gateway ---------------------------------------------------------------------

project_of() { case "$1" in gateway) echo gateway/Mesh.Gateway ;; *) echo "services/Mesh.${1^}" ;; esac; }
dll_of() { local p; p="$(project_of "$1")"; echo "$MESH_ROOT/$p/bin/Release/net10.0/${p##*/}.dll"; }
http_port_of() { local v="MESH_${1^^}_HTTP_PORT"; echo "${!v}"; }
grpc_port_of() { local v="MESH_${1^^}_GRPC_PORT"; echo "${!v}"; }

# GET $1 until it answers 2xx, for at most $2 seconds, while component $3 stays alive.
await_ready() {
  local url="$1" wait="$2" name="$3" i
  for ((i = 0; i < wait * 4; i++)); do
    curl -kfsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    live_pid "$name" "$(basename "$(dll_of "$name")")" >/dev/null || { say "$name exited (see $LOGS/$name.log)"; tail -20 "$LOGS/$name.log" >&2; return 1; }
    sleep 0.25
  done
  say "$name is not ready after ${wait}s: $(curl -ksS --max-time 2 "$url" 2>&1 || true)"
  return 1
}
