#!/usr/bin/env bash
# Ledger throughput (issue 5): credit movements per second through the CreditLedger service, 8
# threads, on one user and spread over 1,000 users, against the PostgreSQL named by TEST_DATABASE_URL
# (default the local server), printed beside PostgreSQL's raw durable insert rate measured in the
# same run (../../shared/bench/pg-insert-baseline.sh) as ratios.
# Usage: bench/ledger-throughput.sh [seconds-per-phase=10]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-10}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=$(./mvnw -B -q test -Dtest=LedgerBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.seconds="$SECS" \
  -DtrimStackTrace=true 2>&1 | grep -E '^ledger_' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
python3 - "$BASE" <<PY
import sys, re
base = float(sys.argv[1])
out = """$OUT"""
for key in ("ledger_movements_per_s_one_user", "ledger_movements_per_s_1000_users"):
    m = re.search(key + r"=(\d+)", out)
    if m:
        print(f"ratio_{key[len('ledger_'):]}_to_baseline={float(m.group(1)) / base:.2f}")
PY
