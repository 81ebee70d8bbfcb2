#!/usr/bin/env bash
# A throw-away PostgreSQL for the moderation-postgres integration tests.
#
#   bash .ci/postgres.sh start     # install (Debian) if missing, initialise, start; idempotent
#   bash .ci/postgres.sh restart   # fast restart (the fault tests use it)
#   bash .ci/postgres.sh stop
#   bash .ci/postgres.sh status
#   bash .ci/postgres.sh pgbouncer-start  # PgBouncer in transaction mode in front of it (installs
#   bash .ci/postgres.sh pgbouncer-stop   # Debian's pgbouncer package if missing); idempotent
#
# The server listens on 127.0.0.1 only, port $HAETAE_PG_PORT (default 54329), with trust
# authentication for user "haetae" and a database "haetae_test": never expose it beyond loopback.
# Its data directory is $HAETAE_PG_DATA (default: a directory under $TMPDIR or /tmp).
# PostgreSQL refuses to run as root; when run as root the server runs as the "postgres" user.
#
# PgBouncer listens on 127.0.0.1, port $HAETAE_PGBOUNCER_PORT (default: the server's port + 10000),
# with pool_mode = transaction and trust authentication for "haetae" and "haetae_bouncer". The role
# "haetae_bouncer" (created here; it may create schemas in haetae_test) has the default search_path
# "haetae_bouncer": through a transaction-mode pooler the schema cannot be set per connection, so
# the tests that go through PgBouncer use that schema (HaetaePostgres.Builder.transactionPooling).
set -euo pipefail
cmd=${1:-start}
PORT=${HAETAE_PG_PORT:-54329}
DATA=${HAETAE_PG_DATA:-${TMPDIR:-/tmp}/haetae-pg-$PORT}

find_bin() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  fi
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_server() {
  echo "postgres.sh: PostgreSQL not found; installing Debian's postgresql package" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  if [ "$cmd" != start ]; then echo "postgres.sh: PostgreSQL is not installed" >&2; exit 1; fi
  install_server
  BIN=$(find_bin) || { echo "postgres.sh: no initdb after installing postgresql" >&2; exit 1; }
fi
if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

BOUNCER_PORT=${HAETAE_PGBOUNCER_PORT:-$((PORT + 10000))}
BOUNCER_DIR=${HAETAE_PGBOUNCER_DIR:-${TMPDIR:-/tmp}/haetae-pgbouncer-$BOUNCER_PORT}

find_pgbouncer() {
  command -v pgbouncer 2>/dev/null || { [ -x /usr/sbin/pgbouncer ] && echo /usr/sbin/pgbouncer; } || return 1
}

bouncer_running() {
  [ -f "$BOUNCER_DIR/pgbouncer.pid" ] && kill -0 "$(cat "$BOUNCER_DIR/pgbouncer.pid")" 2>/dev/null
}

case "$cmd" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      if [ "$(id -u)" = 0 ]; then chown postgres "$DATA"; fi
      chmod 700 "$DATA"
      as_owner "$BIN/initdb" -D "$DATA" -U haetae -A trust -E UTF8 --no-locale >/dev/null
    fi
    if running; then
      echo "postgres.sh: already running on 127.0.0.1:$PORT"
    else
      as_owner "$BIN/pg_ctl" -D "$DATA" -w -t 60 -l "$DATA/server.log" \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DATA -c max_connections=200" \
        start >/dev/null
      echo "postgres.sh: started on 127.0.0.1:$PORT (data $DATA)"
    fi
    if ! as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U haetae -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'haetae_test'" | grep -q 1; then
      as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U haetae haetae_test
    fi
    ;;
  restart)
    as_owner "$BIN/pg_ctl" -D "$DATA" -w -t 60 -m fast restart >/dev/null
    echo "postgres.sh: restarted"
    ;;
  stop)
    if running; then as_owner "$BIN/pg_ctl" -D "$DATA" -w -t 60 -m fast stop >/dev/null; fi
    echo "postgres.sh: stopped"
    ;;
  status)
    if running; then echo "running on 127.0.0.1:$PORT"; else echo "not running"; exit 3; fi
    ;;
  pgbouncer-start)
    PGB=$(find_pgbouncer || true)
    if [ -z "$PGB" ]; then
      echo "postgres.sh: pgbouncer not found; installing Debian's pgbouncer package" >&2
      sudo=""
      if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
      PGB=$(find_pgbouncer) || { echo "postgres.sh: no pgbouncer after installing it" >&2; exit 1; }
    fi
    running || { echo "postgres.sh: start the server first (postgres.sh start)" >&2; exit 1; }
    as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U haetae -d haetae_test -qtA >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'haetae_bouncer') THEN
    CREATE ROLE haetae_bouncer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END $$;
ALTER ROLE haetae_bouncer SET search_path = haetae_bouncer;
GRANT CREATE ON DATABASE haetae_test TO haetae_bouncer;
SQL
    if bouncer_running; then
      echo "postgres.sh: pgbouncer already running on 127.0.0.1:$BOUNCER_PORT"
      exit 0
    fi
    mkdir -p "$BOUNCER_DIR"
    printf '"haetae" ""\n"haetae_bouncer" ""\n' > "$BOUNCER_DIR/userlist.txt"
    {
      echo "[databases]"
      echo "haetae_test = host=127.0.0.1 port=$PORT dbname=haetae_test"
      echo "[pgbouncer]"
      echo "listen_addr = 127.0.0.1"
      echo "listen_port = $BOUNCER_PORT"
      echo "unix_socket_dir ="
      echo "auth_type = trust"
      echo "auth_file = $BOUNCER_DIR/userlist.txt"
      echo "pool_mode = transaction"
      echo "max_client_conn = 400"
      echo "default_pool_size = 20"
      echo "ignore_startup_parameters = extra_float_digits"
      echo "logfile = $BOUNCER_DIR/pgbouncer.log"
      echo "pidfile = $BOUNCER_DIR/pgbouncer.pid"
    } > "$BOUNCER_DIR/pgbouncer.ini"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$BOUNCER_DIR"; fi
    as_owner "$PGB" -d "$BOUNCER_DIR/pgbouncer.ini"
    for _ in $(seq 1 100); do
      if bouncer_running && as_owner "$BIN/psql" -h 127.0.0.1 -p "$BOUNCER_PORT" -U haetae -d haetae_test \
          -qtAc "SELECT 1" >/dev/null 2>&1; then
        echo "postgres.sh: pgbouncer (transaction mode) on 127.0.0.1:$BOUNCER_PORT in front of 127.0.0.1:$PORT"
        exit 0
      fi
      sleep 0.1
    done
    echo "postgres.sh: pgbouncer did not start; see $BOUNCER_DIR/pgbouncer.log" >&2
    exit 1
    ;;
  pgbouncer-stop)
    if bouncer_running; then
      kill "$(cat "$BOUNCER_DIR/pgbouncer.pid")"
      for _ in $(seq 1 100); do bouncer_running || break; sleep 0.1; done
    fi
    echo "postgres.sh: pgbouncer stopped"
    ;;
  *)
    echo "usage: postgres.sh start|restart|stop|status|pgbouncer-start|pgbouncer-stop" >&2
    exit 2
    ;;
esac
