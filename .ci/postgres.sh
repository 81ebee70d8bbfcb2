#!/usr/bin/env bash
# A throw-away PostgreSQL for the moderation-postgres integration tests.
#
#   bash .ci/postgres.sh start     # install (Debian) if missing, initialise, start; idempotent
#   bash .ci/postgres.sh restart   # fast restart (the fault tests use it)
#   bash .ci/postgres.sh stop
#   bash .ci/postgres.sh status
#
# The server listens on 127.0.0.1 only, port $HAETAE_PG_PORT (default 54329), with trust
# authentication for user "haetae" and a database "haetae_test": never expose it beyond loopback.
# Its data directory is $HAETAE_PG_DATA (default: a directory under $TMPDIR or /tmp).
# PostgreSQL refuses to run as root; when run as root the server runs as the "postgres" user.
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
  *)
    echo "usage: postgres.sh start|restart|stop|status" >&2
    exit 2
    ;;
esac
