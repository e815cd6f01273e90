#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, with the two roles production uses:
#   isp_owner  owns the schema and runs migrations (not a superuser; may create databases)
#   isp_app    the portal's role: ordinary grants, no UPDATE, DELETE or TRUNCATE on the audit
#              trail and the write-once records, not the owner of any table (so it can neither
#              drop nor disable a trigger); the grants are governance.audit's migration 0005.
#
#   scripts/pg-test.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/pg-test.sh stop DIR
#
# The URL connects as the owner and switches the session to the portal's role at once
# (`?assume_role=isp_app`, Django's OPTIONS["assume_role"]): test database creation, migrations
# and the flush between transactional tests lift it (tests/conftest.py); everything else, the
# tests themselves, runs as isp_app. Production connects as the portal's role itself
# (docs/security.md). Strip the query (${url%%\?*}) to act as the owner, as `make bench` does.
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
    as_pg "$pg_bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
CREATE ROLE isp_owner LOGIN CREATEDB NOSUPERUSER NOCREATEROLE;
CREATE ROLE isp_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
-- The owner may act as the portal's role (SET ROLE); the portal's role may not act as the owner.
GRANT isp_app TO isp_owner;
-- The benchmarks load generated rows without trigger checks (PostgreSQL 15 and later).
DO $$ BEGIN
  IF current_setting('server_version_num')::int >= 150000 THEN
    EXECUTE 'GRANT SET ON PARAMETER session_replication_role TO isp_owner';
  END IF;
END $$;
SQL
    echo "postgres://isp_owner@127.0.0.1:$port/isp_portal?assume_role=isp_app"
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
