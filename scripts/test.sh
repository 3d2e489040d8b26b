#!/usr/bin/env bash
# The one test command: type-check, lint, then every vitest suite (server, shared,
# renderer components, electron main logic, end-to-end in Chromium) inside a
# D-Bus session with an unlocked gnome-keyring, so the keychain tests use a real
# Secret Service, and the server tests a second time on a throwaway PostgreSQL
# cluster (scripts/postgres-cluster.sh). Under CI=true a missing system part is
# an error, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== type-check"
npx tsc --noEmit -p tsconfig.json
echo "== lint"
npx eslint . --max-warnings 0
echo "== build the web client (served by the server in the end-to-end tests)"
npm run --silent build:renderer

# Besides the usual report, vitest writes JSON; the last line of the run is the
# plain "N passed, N failed, N skipped" summary that CI reads.
echo "== PostgreSQL for the server tests' second run"
source scripts/postgres-cluster.sh
start_test_postgres

vitest=(npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@")
summary() { node scripts/test-summary.mjs test-results/vitest.json; }
rm -f test-results/vitest.json

if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "== tests (inside dbus-run-session with gnome-keyring)"
  status=0
  dbus-run-session -- bash scripts/with-keyring.sh "${vitest[@]}" || status=$?
  summary
  exit $status
else
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true but dbus-run-session or gnome-keyring-daemon is missing: run .ci/run, which installs them." >&2
    exit 1
  fi
  echo "== tests (no D-Bus/gnome-keyring here: keychain tests will report themselves skipped)"
  status=0
  "${vitest[@]}" || status=$?
  summary
  exit $status
fi
