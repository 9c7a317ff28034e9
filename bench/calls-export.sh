#!/usr/bin/env bash
# The CSV export of 100,000 calls of one tenant (issue 24, goal: the server's heap grows by less than
# 50 MB): seeds the calls into a fresh database on the PostgreSQL named by TEST_DATABASE_URL (default
# the local server), streams GET /api/calls/export to a client that discards it while the live heap
# is sampled (three runs after a warm-up); then PostgreSQL's raw durable insert rate on the same
# server (../shared/bench/pg-insert-baseline.sh) and the ratio of exported rows/s to it.
# Usage: bench/calls-export.sh   (-Dbench.calls=N for another size)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=$(./mvnw -B -q test -Dtest=CallsExportBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=3600 "$@" 2>&1 | grep -E '^export' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
RATE=$(echo "$OUT" | sed -n 's/^export run=3 .*rows_per_s=\([0-9.]*\).*/\1/p')
[ -n "$RATE" ] && python3 -c "print(f'ratio_rows_per_s_to_baseline_tps={float($RATE) / float($BASE):.2f}')"
