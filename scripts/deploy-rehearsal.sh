#!/usr/bin/env bash
# Follows docs/deploy.md on this machine, as far as a machine without systemd as PID 1 and without outside
# network allows, and checks each step: the unit file (systemd-analyze verify) and its command run by hand as an
# unprivileged user; TLS through nginx with a self-signed certificate on loopback and --trust-proxy; backup while
# running and restore; two servers on one PostgreSQL behind an nginx upstream; pg_dump / pg_restore.
# Needs root (to run TAB and PostgreSQL as `nobody`), nginx, openssl, curl, jq, PostgreSQL 15's binaries.
# Everything lives in one temporary folder, removed at exit.
#   bash scripts/deploy-rehearsal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BASE=$(mktemp -d /tmp/tab-deploy.XXXXXX)
chmod 755 "$BASE"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}" $(pgrep -u nobody -f "log-file $BASE/" || true); do kill "$pid" 2>/dev/null || true; done
  [ -n "${NGINX_CONF:-}" ] && nginx -p "$BASE/nginx" -c "$NGINX_CONF" -s quit 2>/dev/null || true
  [ -n "${PG_STOP:-}" ] && $PG_STOP >/dev/null 2>&1 || true
  sleep 0.5
  rm -rf "$BASE"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
die() { printf '   FAILED: %s\n' "$*" >&2; exit 1; }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
as_tab() { runuser -u nobody -- "$@"; }
# The unit's ExecStart, by hand: same command, working directory, environment file; as an unprivileged user.
start_tab() { # <name> <env file> [extra args…]
  local name=$1 envfile=$2; shift 2
  (set -a; source "$envfile"; set +a; cd "$REPO" && NODE_ENV=production TAB_LOG_LEVEL=info \
    runuser -u nobody -- /usr/bin/node --import tsx server/cli/main.ts --secure-cookies --log-file "$BASE/log/$name.log" "$@" \
    >"$BASE/$name.out" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 1 120); do grep -q 'listening on' "$BASE/$name.out" 2>/dev/null && return 0; sleep 0.5; done
  cat "$BASE/$name.out" >&2; die "$name did not start"
}
stop_tab() { # <name>: SIGTERM, as systemctl stop sends it
  local pid; pid=$(pgrep -u nobody -f "log-file $BASE/log/$1.log" | head -1)
  kill -TERM "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}
json() { jq -r "$1"; }

step "1. The unit file: systemd-analyze verify"
# verify warns of some mistakes (an unknown key) without failing: any word from it fails here.
verified=$(systemd-analyze verify docs/deploy/tab.service docs/deploy/tab-backup.service docs/deploy/tab-backup.timer 2>&1) && [ -z "$verified" ] \
  && ok "docs/deploy/tab.service, tab-backup.service, tab-backup.timer verify, without a warning" || die "systemd-analyze verify: $verified"

step "2. State and log folders for the service user (StateDirectory/LogsDirectory, mode 0700), the environment file (0600)"
mkdir -p "$BASE/state" "$BASE/log" && chown nobody "$BASE/state" "$BASE/log" && chmod 700 "$BASE/state" "$BASE/log"
TAB_PORT=$(free_port)
cat >"$BASE/tab.env" <<EOF
TAB_DB=$BASE/state/tab.sqlite
TAB_PORT=$TAB_PORT
TAB_HOST=127.0.0.1
TAB_TRUST_PROXY=127.0.0.1
EOF
chmod 600 "$BASE/tab.env"
ok "$BASE/state, $BASE/log, $BASE/tab.env"

step "3. The unit's command, by hand, as nobody"
start_tab tab "$BASE/tab.env"
curl -fsS "http://127.0.0.1:$TAB_PORT/healthz" >/dev/null && ok "TAB answers on 127.0.0.1:$TAB_PORT" || die "TAB answers on 127.0.0.1:$TAB_PORT"
[ "$(stat -c %a "$BASE/state/tab.sqlite")" = 600 ] && [ "$(stat -c %U "$BASE/state/tab.sqlite")" = nobody ] && ok "database mode 0600, owned by the service user" || die "database mode 0600, owned by the service user"
[ "$(stat -c %a "$BASE/state/tab.sqlite.jwt-key")" = 600 ] && ok "JWT key beside it, mode 0600" || die "JWT key beside it, mode 0600"
echo 'first-long-password' | (cd "$REPO" && as_tab env TAB_DB="$BASE/state/tab.sqlite" node --import tsx server/cli/admin.ts create-user \
  --email boss@firm.example --name 'Pat Boss' --role admin --workspace Firm --password-stdin)

step "4. TLS through nginx: a self-signed certificate for 127.0.0.2, TAB trusting only the proxy's address"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=127.0.0.2' -addext 'subjectAltName=IP:127.0.0.2' \
  -keyout "$BASE/privkey.pem" -out "$BASE/fullchain.pem" 2>/dev/null
HTTPS_PORT=$(free_port); HTTP_PORT=$(free_port)
mkdir -p "$BASE/nginx/logs"
# The site file of the guide, with this machine's ports, addresses and certificate.
sed -e "s#server 127.0.0.1:4000;#server 127.0.0.1:$TAB_PORT;#" \
    -e "s#listen 80;#listen 127.0.0.2:$HTTP_PORT;#" -e "s#listen 443 ssl http2;#listen 127.0.0.2:$HTTPS_PORT ssl http2;#" \
    -e "s#/etc/ssl/tab/#$BASE/#" -e "s#server_name tab.example.com;#server_name 127.0.0.2;#" \
    docs/deploy/nginx-tab.conf >"$BASE/nginx/tab.conf"
NGINX_CONF=$BASE/nginx/nginx.conf
cat >"$NGINX_CONF" <<EOF
pid $BASE/nginx/nginx.pid;
error_log $BASE/nginx/logs/error.log;
events {}
http {
  access_log $BASE/nginx/logs/access.log;
  client_body_temp_path $BASE/nginx/body; proxy_temp_path $BASE/nginx/proxy;
  include $BASE/nginx/tab.conf;
}
EOF
grep -q 'test is successful' <<<"$(nginx -t -p "$BASE/nginx" -c "$NGINX_CONF" 2>&1)" && ok "nginx -t" || die "nginx -t"
nginx -p "$BASE/nginx" -c "$NGINX_CONF"
URL="https://127.0.0.2:$HTTPS_PORT"
CURL=(curl -fsS --cacert "$BASE/fullchain.pem" --interface 127.0.0.3)
[ "$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.2:$HTTP_PORT/x")" = "https://127.0.0.2/x" ] && ok "http redirects to https" || die "http redirects to https"
login() { "${CURL[@]}" -H 'content-type: application/json' -d "{\"email\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login"; }
# The client connects from 127.0.0.3 and claims another address; nginx replaces the claim with the real one.
ONE=$("${CURL[@]}" -H 'content-type: application/json' -H 'x-forwarded-for: 203.0.113.9' \
  -d '{"email":"boss@firm.example","password":"first-long-password"}' "$URL/api/v1/auth/login")
T1=$(echo "$ONE" | json .token); S1=$(echo "$ONE" | json .session.id)
IP=$("${CURL[@]}" -H "authorization: Bearer $T1" "$URL/api/v1/sessions" | json '.sessions[0].ip')
[ "$IP" = 127.0.0.3 ] && ok "the sessions card's address is the client's (127.0.0.3), not the proxy's (127.0.0.1) nor a forged one" || die "the sessions card's address is the client's (127.0.0.3), not the proxy's (127.0.0.1) nor a forged one"
grep -qi '^strict-transport-security' <<<"$("${CURL[@]}" -D - -o /dev/null -H "authorization: Bearer $T1" "$URL/api/v1/me")" && ok "HSTS over the proxy's https" || die "HSTS over the proxy's https"
grep -i '^set-cookie' <<<"$("${CURL[@]}" -D - -o /dev/null -H 'content-type: application/json' -d '{"email":"boss@firm.example","password":"first-long-password"}' "$URL/api/v1/auth/login")" | grep -qi 'secure' && ok "session cookie marked Secure" || die "session cookie marked Secure"
# The event stream through the proxy: a revocation arrives at once (unbuffered).
TWO=$(login boss@firm.example first-long-password); T2=$(echo "$TWO" | json .token)
"${CURL[@]}" -N -H "authorization: Bearer $T1" "$URL/api/v1/events" >"$BASE/events.txt" 2>/dev/null &
PIDS+=($!)
sleep 1
"${CURL[@]}" -X DELETE -H "authorization: Bearer $T2" "$URL/api/v1/sessions/$S1"
for _ in $(seq 1 20); do grep -q 'session.revoked' "$BASE/events.txt" && break; sleep 0.1; done
grep -q 'session.revoked' "$BASE/events.txt" && ok "session.revoked arrived over the proxied stream within 2 s" || die "session.revoked arrived over the proxied stream within 2 s"
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BASE/fullchain.pem" -H "authorization: Bearer $T1" "$URL/api/v1/me")" = 401 ] && ok "the revoked session is refused" || die "the revoked session is refused"

step "5. Backup while the server runs; restore with it stopped"
BACKUPS=$BASE/backups; mkdir -p "$BACKUPS"; chown nobody "$BACKUPS"; chmod 700 "$BACKUPS"
# tab-backup.service's command (its %% are systemd's escape for %), by hand.
(cd "$REPO" && as_tab env TAB_DB="$BASE/state/tab.sqlite" /bin/sh -c "exec /usr/bin/node --import tsx server/cli/admin.ts backup \"$BACKUPS/tab-\$(date +%Y-%m-%d-%H%M).sqlite\"")
mv "$BACKUPS"/tab-*.sqlite "$BACKUPS/tab-1.sqlite"
[ "$(stat -c %a "$BACKUPS/tab-1.sqlite")" = 600 ] && ok "backup mode 0600" || die "backup mode 0600"
refusal=$(cd "$REPO" && as_tab env TAB_DB="$BASE/state/tab.sqlite" node --import tsx server/cli/admin.ts restore "$BACKUPS/tab-1.sqlite" 2>&1 || true)
echo "$refusal"
grep -q 'in use by a running TAB server' <<<"$refusal" && ok "restore refused while the server runs" || die "restore refused while the server runs"
echo 'other-long-password' | (cd "$REPO" && as_tab env TAB_DB="$BASE/state/tab.sqlite" node --import tsx server/cli/admin.ts create-user \
  --email late@firm.example --name 'After backup' --role accountant --workspace Firm --password-stdin)
stop_tab tab
(cd "$REPO" && as_tab env TAB_DB="$BASE/state/tab.sqlite" node --import tsx server/cli/admin.ts restore "$BACKUPS/tab-1.sqlite")
start_tab tab "$BASE/tab.env"
login boss@firm.example first-long-password >/dev/null && ok "after restore: the backed-up user signs in" || die "after restore: the backed-up user signs in"
[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$BASE/fullchain.pem" -H 'content-type: application/json' -d '{"email":"late@firm.example","password":"other-long-password"}' "$URL/api/v1/auth/login")" = 401 ] \
  && ok "after restore: the user created after the backup is gone from the live database" || die "after restore: the user created after the backup is gone from the live database"
compgen -G "$BASE/state/tab.sqlite.before-restore-*" >/dev/null && ok "…and kept in the replaced database beside it" || die "…and kept in the replaced database beside it"
stop_tab tab

step "6. Several servers on one PostgreSQL behind an nginx upstream"
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$BASE/pg" && chown nobody "$BASE/pg"
PG_PORT=$(free_port)
as_tab "$PG_BIN/initdb" -D "$BASE/pg/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_tab "$PG_BIN/pg_ctl" -D "$BASE/pg/data" -l "$BASE/pg/log" -w start -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $BASE/pg" >/dev/null
PG_STOP="runuser -u nobody -- $PG_BIN/pg_ctl -D $BASE/pg/data -m fast -w stop"
# The guide's database setup: a role that owns its database, nothing more.
as_tab "$PG_BIN/psql" -h "$BASE/pg" -p "$PG_PORT" -U postgres -q -c "CREATE ROLE tab LOGIN PASSWORD 'rehearsal-only-password'" -c "CREATE DATABASE tab OWNER tab"
PG_URL="postgres://tab:rehearsal-only-password@127.0.0.1:$PG_PORT/tab"
for n in a b; do
  port=$(free_port); eval "PORT_$n=$port"
  printf 'TAB_DB=%s\nTAB_PORT=%s\nTAB_HOST=127.0.0.1\nTAB_TRUST_PROXY=127.0.0.1\n' "$PG_URL" "$port" >"$BASE/tab-$n.env"; chmod 600 "$BASE/tab-$n.env"
done
start_tab tab-a "$BASE/tab-a.env"
start_tab tab-b "$BASE/tab-b.env"
echo 'first-long-password' | (cd "$REPO" && as_tab env TAB_DB="$PG_URL" node --import tsx server/cli/admin.ts create-user \
  --email boss@firm.example --name 'Pat Boss' --role admin --workspace Firm --password-stdin)
sed -i -e "s#server 127.0.0.1:$TAB_PORT;#server 127.0.0.1:$PORT_a;\n    server 127.0.0.1:$PORT_b;#" "$BASE/nginx/tab.conf"
nginx -p "$BASE/nginx" -c "$NGINX_CONF" -s reload; sleep 1
ONE=$(login boss@firm.example first-long-password); T1=$(echo "$ONE" | json .token); S1=$(echo "$ONE" | json .session.id)
TWO=$(login boss@firm.example first-long-password); T2=$(echo "$TWO" | json .token)
for _ in $(seq 1 20); do "${CURL[@]}" -o /dev/null -H "authorization: Bearer $T1" "$URL/api/v1/sessions"; done
a=$(grep -c '"url":"/api/v1/sessions"' "$BASE/log/tab-a.log" || true); b=$(grep -c '"url":"/api/v1/sessions"' "$BASE/log/tab-b.log" || true)
[ "$a" -gt 0 ] && [ "$b" -gt 0 ] && ok "requests spread over both servers ($a on A, $b on B)" || die "requests spread over both servers ($a on A, $b on B)"
IP=$("${CURL[@]}" -H "authorization: Bearer $T1" "$URL/api/v1/sessions" | json '.sessions[0].ip')
[ "$IP" = 127.0.0.3 ] && ok "the client's address on either server" || die "the client's address on either server"
# The revoked device's event stream on B, the revocation answered by A: the push crosses servers (LISTEN/NOTIFY).
curl -sS -N -H "authorization: Bearer $T1" "http://127.0.0.1:$PORT_b/api/v1/events" >"$BASE/events-b.txt" 2>/dev/null &
PIDS+=($!)
sleep 1
curl -fsS -X DELETE -H "authorization: Bearer $T2" "http://127.0.0.1:$PORT_a/api/v1/sessions/$S1"
for _ in $(seq 1 20); do grep -q 'session.revoked' "$BASE/events-b.txt" && break; sleep 0.1; done
grep -q 'session.revoked' "$BASE/events-b.txt" && ok "revoked on A: session.revoked pushed on B's stream within 2 s" || die "revoked on A: session.revoked pushed on B's stream within 2 s"
codes=$(for _ in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' --cacert "$BASE/fullchain.pem" -H "authorization: Bearer $T1" "$URL/api/v1/me"; done)
[ "$codes" = "401 401 401 401 " ] && ok "revoked through one server, refused by both at once ($codes)" || die "revoked through one server, refused by both at once ($codes)"

step "7. pg_dump and pg_restore"
PGPASSWORD=rehearsal-only-password "$PG_BIN/pg_dump" --format=custom --file="$BASE/tab.dump" "$PG_URL"
as_tab "$PG_BIN/psql" -h "$BASE/pg" -p "$PG_PORT" -U postgres -q -c "CREATE DATABASE tab_restored OWNER tab"
PGPASSWORD=rehearsal-only-password "$PG_BIN/pg_restore" --no-owner --dbname="postgres://tab@127.0.0.1:$PG_PORT/tab_restored" "$BASE/tab.dump"
grep -q boss@firm.example <<<"$(cd "$REPO" && as_tab env TAB_DB="postgres://tab:rehearsal-only-password@127.0.0.1:$PG_PORT/tab_restored" node --import tsx server/cli/admin.ts list-users)" \
  && ok "the restored database has the firm's users" || die "the restored database has the firm's users"
stop_tab tab-a; stop_tab tab-b

printf '\nEvery step above ran and was checked.\n'
