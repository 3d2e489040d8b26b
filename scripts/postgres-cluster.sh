#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for one test run, used by scripts/test.sh (and so by .ci/run):
#   source scripts/postgres-cluster.sh && start_test_postgres
# exports TAB_TEST_PG_URL (postgres://tab@127.0.0.1:<free port>/postgres) and removes the cluster when the
# calling shell exits. A TAB_TEST_PG_URL already set is used as it is. Without PostgreSQL's binaries it says
# so and exports nothing (the PostgreSQL tests then report themselves skipped) — under CI=true that is an error.
# PostgreSQL refuses to run as root: as root, the cluster belongs to `nobody`.

find_pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; fi
}

start_test_postgres() {
  if [ -n "${TAB_TEST_PG_URL:-}" ]; then
    echo "== PostgreSQL: using TAB_TEST_PG_URL"
    return 0
  fi
  local bindir
  bindir=$(find_pg_bindir)
  if [ -z "$bindir" ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "CI=true but PostgreSQL's binaries (initdb, pg_ctl) are missing: run .ci/run, which installs them." >&2
      return 1
    fi
    echo "== PostgreSQL: not installed here; the PostgreSQL tests will report themselves skipped"
    return 0
  fi
  TAB_PG_DIR=$(mktemp -d /tmp/tab-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = "0" ]; then
    chown nobody "$TAB_PG_DIR"
    as=(runuser -u nobody --)
  fi
  local port
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  "${as[@]}" "$bindir/initdb" -D "$TAB_PG_DIR/data" -U tab --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$TAB_PG_DIR/initdb.log" 2>&1 \
    || { cat "$TAB_PG_DIR/initdb.log" >&2; return 1; }
  # A test cluster: durability off (nothing here outlives the run), loopback only, its socket in its own folder.
  "${as[@]}" "$bindir/pg_ctl" -D "$TAB_PG_DIR/data" -l "$TAB_PG_DIR/server.log" -w -t 60 start \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $TAB_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    >/dev/null || { cat "$TAB_PG_DIR/server.log" >&2; return 1; }
  export TAB_TEST_PG_URL="postgres://tab@127.0.0.1:$port/postgres"
  TAB_PG_STOP=("${as[@]}" "$bindir/pg_ctl" -D "$TAB_PG_DIR/data" -m immediate -w stop)
  trap stop_test_postgres EXIT
  echo "== PostgreSQL: throwaway cluster on 127.0.0.1:$port ($TAB_PG_DIR)"
}

stop_test_postgres() {
  if [ -n "${TAB_PG_DIR:-}" ]; then
    "${TAB_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$TAB_PG_DIR"
    TAB_PG_DIR=
  fi
}
