# A private PostgreSQL for kiosk/test and kiosk/bench. Source it (after common.sh); do not run it.
# shellcheck shell=bash
#
#   private_postgres_start DIR   initdb into DIR/data, start on a free loopback port with the unix socket in DIR;
#                                sets PRIVATE_POSTGRES_URL=postgres://hall@127.0.0.1:PORT/postgres and
#                                PRIVATE_POSTGRES_DIR; the user 'hall' is a superuser with trust authentication
#                                (PRIVATE_POSTGRES_DURABLE=1: fsync and synchronous commit on, as a hall's server
#                                runs — for benchmarks; the tests run without them)
#                                (PRIVATE_POSTGRES_EXTRA: more server options, e.g. "-c shared_buffers=1GB")
#   private_postgres_stop        stops it (fast shutdown) and deletes DIR; idempotent
#   private_postgres_halt        stops it and keeps DIR (private_postgres_reuse DIR starts it again, on a new port)
#   private_postgres_createdb N  creates database N, prints its URL
#
# The server binaries come from PATH or Debian's /usr/lib/postgresql/*/bin (newest first). PostgreSQL refuses to
# run as root: as root, initdb and pg_ctl run as the user 'postgres' (Debian's package makes it), else 'nobody',
# on a folder that user owns.

PRIVATE_POSTGRES_DIR=""
PRIVATE_POSTGRES_URL=""
PRIVATE_POSTGRES_BIN=""
PRIVATE_POSTGRES_AS=""
PRIVATE_POSTGRES_PORT=""

_private_postgres_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    # Follow links (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): psql and pg_ctl sit beside the real one.
    dirname "$(readlink -f "$(command -v initdb)")"; return 0
  fi
  local v
  for v in $(ls /usr/lib/postgresql 2>/dev/null | sort -rn); do
    [ -x "/usr/lib/postgresql/$v/bin/initdb" ] && { echo "/usr/lib/postgresql/$v/bin"; return 0; }
  done
  return 1
}

# Runs a server tool as the unprivileged user when this shell is root.
_private_postgres_run() {
  if [ -n "$PRIVATE_POSTGRES_AS" ]; then runuser -u "$PRIVATE_POSTGRES_AS" -- "$@"; else "$@"; fi
}

_private_postgres_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

private_postgres_start() {
  local dir=$1
  PRIVATE_POSTGRES_BIN=$(_private_postgres_bin) \
    || die "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): apt-get install postgresql"
  PRIVATE_POSTGRES_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    if id -u postgres >/dev/null 2>&1; then PRIVATE_POSTGRES_AS=postgres
    elif id -u nobody >/dev/null 2>&1; then PRIVATE_POSTGRES_AS=nobody
    else die "running as root and neither the user 'postgres' nor 'nobody' exists; PostgreSQL refuses to run as root"; fi
  fi
  rm -rf -- "$dir" && mkdir -p -- "$dir" || die "cannot create $dir"
  [ -z "$PRIVATE_POSTGRES_AS" ] || chown "$PRIVATE_POSTGRES_AS" "$dir" || die "cannot give $dir to $PRIVATE_POSTGRES_AS"
  # The user must reach the folder: a folder under /root is closed to 'postgres'.
  _private_postgres_run test -w "$dir" || die "the user '$PRIVATE_POSTGRES_AS' cannot write $dir (a parent folder is closed to it); use a folder under /tmp"
  PRIVATE_POSTGRES_DIR=$dir
  PRIVATE_POSTGRES_PORT=$(_private_postgres_free_port) || die "cannot find a free port (python3 missing?)"
  local sync="--no-sync" durability="-c fsync=off -c synchronous_commit=off"
  [ "${PRIVATE_POSTGRES_DURABLE:-0}" = 1 ] && { sync=""; durability="-c fsync=on -c synchronous_commit=on"; }
  _private_postgres_run "$PRIVATE_POSTGRES_BIN/initdb" $sync -D "$dir/data" -A trust -U hall -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -5 "$dir/initdb.log")"
  _private_postgres_run "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-p $PRIVATE_POSTGRES_PORT -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=300 ${PRIVATE_POSTGRES_EXTRA:-}" \
    start >/dev/null 2>&1 || die "PostgreSQL did not start: $(tail -5 "$dir/log" 2>/dev/null)"
  PRIVATE_POSTGRES_URL="postgres://hall@127.0.0.1:$PRIVATE_POSTGRES_PORT/postgres"
}

# Starts a cluster private_postgres_start made and private_postgres_halt stopped (without durability, as the tests).
private_postgres_reuse() {
  local dir=$1
  PRIVATE_POSTGRES_BIN=$(_private_postgres_bin) || die "PostgreSQL is not installed: apt-get install postgresql"
  PRIVATE_POSTGRES_AS=""
  if [ "$(id -u)" -eq 0 ]; then
    if id -u postgres >/dev/null 2>&1; then PRIVATE_POSTGRES_AS=postgres; else PRIVATE_POSTGRES_AS=nobody; fi
  fi
  PRIVATE_POSTGRES_DIR=$dir
  PRIVATE_POSTGRES_PORT=$(_private_postgres_free_port) || die "cannot find a free port (python3 missing?)"
  _private_postgres_run "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-p $PRIVATE_POSTGRES_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300 ${PRIVATE_POSTGRES_EXTRA:-}" \
    start >/dev/null 2>&1 || return 1
  PRIVATE_POSTGRES_URL="postgres://hall@127.0.0.1:$PRIVATE_POSTGRES_PORT/postgres"
}

private_postgres_halt() {
  [ -n "$PRIVATE_POSTGRES_DIR" ] || return 0
  _private_postgres_run "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  PRIVATE_POSTGRES_DIR=""
}

private_postgres_stop() {
  [ -n "$PRIVATE_POSTGRES_DIR" ] || return 0
  [ -f "$PRIVATE_POSTGRES_DIR/data/postmaster.pid" ] \
    && _private_postgres_run "$PRIVATE_POSTGRES_BIN/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1
  rm -rf -- "$PRIVATE_POSTGRES_DIR"
  PRIVATE_POSTGRES_DIR=""
}

private_postgres_createdb() {
  "$PRIVATE_POSTGRES_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PRIVATE_POSTGRES_PORT" -U hall -d postgres \
    -c "CREATE DATABASE $1" >/dev/null || die "CREATE DATABASE $1 failed"
  echo "postgres://hall@127.0.0.1:$PRIVATE_POSTGRES_PORT/$1"
}
