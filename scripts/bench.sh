#!/usr/bin/env bash
# `npm run bench`: every figure on SQLite and, where PostgreSQL is installed, again on a throwaway cluster
# (scripts/postgres-cluster.sh, removed at exit). Arguments go to bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres-cluster.sh
CI= start_test_postgres
npx tsx bench/run.ts "$@"
