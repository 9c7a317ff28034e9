#!/usr/bin/env bash
# Growth (issue 26, goal 3): the webhook path, the dashboard and the campaign dispatcher measured on a
# database of each size, to state how each cost grows. Sizes: "1m" (1,000 accounts, 5,000 agents,
# 1,000,000 calls, 300,000 lead analyses: the first round's dashboard data) and "10m" (10,000 accounts,
# 50,000 agents, 10,000,000 calls, 3,000,000 lead analyses); every account has 1,000 calls in both.
# Each size is seeded once into a template database (bench_growth_<size>, by GrowthTemplateBenchmark
# with bench/seed-growth.sql, set-based; kept for later runs, GROWTH_REBUILD=1 rebuilds it), and every
# benchmark runs on its own copy of it (-Dtest.database.template): DashboardBenchmark (overview and
# analytics p50/p95, 1 and 8 clients, cached and uncached; the KPI view's refresh), WebhookBenchmark#ingest
# (acknowledged and applied events/s) and CampaignDispatchBenchmark (dials/s, fairness, caps).
# Then PostgreSQL's raw insert rate on the same server (../shared/bench/pg-insert-baseline.sh).
# Usage: bench/growth.sh [size ...]   (default: 1m 10m; needs ~15 GB free for the 10m template and a copy)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1m 10m)
HOST=$(echo "$TEST_DATABASE_URL" | sed -E 's#jdbc:postgresql://([^:/]+).*#\1#')
PORT=$(echo "$TEST_DATABASE_URL" | sed -nE 's#jdbc:postgresql://[^:/]+:([0-9]+).*#\1#p')
PSQL=(psql -h "$HOST" -p "${PORT:-5432}" -U "${TEST_DATABASE_USERNAME:-postgres}" -d postgres -Atq)
mvn_test() { ./mvnw -B -q test -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.timeout=7200 "$@" 2>&1; }
for size in "${SIZES[@]}"; do
    case "$size" in
        1m) users=1000; calls=1000000 ;;
        10m) users=10000; calls=10000000 ;;
        *) echo "unknown size $size (1m or 10m)" >&2; exit 2 ;;
    esac
    template="bench_growth_$size"
    exists=$("${PSQL[@]}" -c "SELECT count(*) FROM pg_database WHERE datname = '$template'")
    if [ "$exists" = 0 ] || [ "${GROWTH_REBUILD:-0}" = 1 ]; then
        mvn_test -Dtest=GrowthTemplateBenchmark -Dbench.template="$template" -Dbench.users=$users -Dbench.calls=$calls \
            | grep -E '^growth_' | sed "s/^/$size /" || true
    fi
    echo "$size template_size=$("${PSQL[@]}" -c "SELECT pg_size_pretty(pg_database_size('$template'))")"
    echo "$size load_average_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    mvn_test -Dtest=DashboardBenchmark -Dtest.database.template="$template" | grep -E '^dashboard' | sed "s/^/$size /" || true
    mvn_test -Dtest='WebhookBenchmark#ingest' -Dtest.database.template="$template" \
        | grep -E '^webhook_(events_per_s|ingest_and_processing|drained|calls_completed|balances)' | sed "s/^/$size /" || true
    mvn_test -Dtest=CampaignDispatchBenchmark -Dtest.database.template="$template" \
        | grep -E '^campaign_' | sed "s/^/$size /" || true
    echo "$size load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "baseline_tps=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')"
