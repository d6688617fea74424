#!/usr/bin/env bash
# Runs a command with a private, throwaway PostgreSQL 15 cluster and MLC_TEST_POSTGRES_URL pointing
# at it (the PostgreSQL store tests read it; without it they skip). The cluster lives in a mktemp
# directory (data, logs, unix socket), listens on a free port of 127.0.0.1 too, and is stopped and
# removed when the command ends, however it ends. As root (CI), initdb and pg_ctl run as the
# `postgres` user (PostgreSQL refuses to run as root). Durability is off (fsync=off): test data
# only; MLC_PG_DURABLE=1 keeps the server's defaults (fsync on: bench/bench.py workers).
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (exit status: the command's)
# Options (environment): MLC_PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
bin=${MLC_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL in $bin (scripts/install-deps.sh installs it);" \
       "running without MLC_TEST_POSTGRES_URL: the PostgreSQL tests skip" >&2
  exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/mlc-pg-XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! "${as_pg[@]}" "$bin/initdb" -D "$dir/data" -U mlc -A trust -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  exit 1
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
durability="-c fsync=off -c full_page_writes=off"
[ "${MLC_PG_DURABLE:-0}" = 1 ] && durability=""  # The server's defaults (benchmarks).
if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability" \
    -o "-c max_connections=100 -c shared_buffers=32MB" start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
echo "with-postgres: PostgreSQL on $dir (port $port)" >&2

export MLC_TEST_POSTGRES_URL="postgresql://mlc@/postgres?host=$dir&port=$port"
set +e
"$@"
rc=$?
set -e
exit "$rc"
