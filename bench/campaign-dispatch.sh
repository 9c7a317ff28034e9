#!/usr/bin/env bash
# Campaign dispatch (issue 22): 100 tenants of equal demand dialled by the background dispatcher
# against a Bolna fake that answers at once and ends each call 200 ms later with a webhook (every
# dial goes through the recorded-first path, every end through webhook processing and billing);
# prints dials/s, Jain's fairness index at half-way and the most calls in progress the fake saw,
# then PostgreSQL's raw durable single-row insert rate on the same server
# (../../shared/bench/pg-insert-baseline.sh) and the ratio.
# Runs with autovacuum on, as production does (bench/autovacuum-as-in-production.sh; BENCH_AUTOVACUUM=server keeps the server's).
# Usage: bench/campaign-dispatch.sh   (JAVA_OPTS-style knobs: -Dbench.recipients, -Dbench.platform-cap, -Dbench.call-ms)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
source bench/autovacuum-as-in-production.sh
OUT=$(./mvnw -B -q test -Dtest=CampaignDispatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
    | grep -E '^campaign_' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
RATE=$(echo "$OUT" | sed -n 's/^campaign_dials_per_s=//p')
python3 -c "print(f'ratio_dials_per_s_to_baseline_tps={float($RATE) / float($BASE):.3f}')"
