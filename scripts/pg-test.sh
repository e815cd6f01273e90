#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#   scripts/pg-test.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/pg-test.sh stop DIR
# initdb refuses to run as root, so the cluster belongs to the postgres system user.
set -euo pipefail

action="$1"
dir="$2"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then
      chown postgres "$dir"
      # The postgres user must be able to reach the cluster inside our private temp folder.
      chmod 711 "$(dirname "$dir")"
    fi
    as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/isp_portal"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_pg "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
