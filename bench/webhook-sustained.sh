#!/usr/bin/env bash
# Webhook processing end to end, sustained (issue 26): after the ingest benchmark's warm-up, for each
# offered rate (events/s; -Dbench.rates=250,500,1000,2000 by default) 60 s of Bolna lifecycle events
# posted by wrk at that steady rate (bench/webhook.lua given the rate), each event journaled, applied and
# billed; prints per rate what was acknowledged and applied per second, the backlog every 10 s, the
# delay from receipt to applied (p50, p99, max) and whether the rate holds (backlog bounded, p99 under
# 1 s); then PostgreSQL's raw durable single-row insert rate on the same server
# (../shared/bench/pg-insert-baseline.sh) and the ratio of the highest rate that held to it.
# Runs with autovacuum on, as production does (bench/autovacuum-as-in-production.sh; BENCH_AUTOVACUUM=server keeps the server's).
# Usage: bench/webhook-sustained.sh   (-Dbench.rates=... -Dbench.seconds=... for other runs)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
source bench/autovacuum-as-in-production.sh
echo "load_average_before=$(cut -d' ' -f1-3 /proc/loadavg)"
OUT=$(./mvnw -B -q test -Dtest='WebhookBenchmark#sustained' -Dbench.sustained=true -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
    | grep -a -E '^(sustained|wrk|webhook_p)' || true)
echo "$OUT"
echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
HELD=$(echo "$OUT" | grep -a 'holds=true' | sed -n 's/^sustained_rate=\([0-9]*\) .*/\1/p' | sort -n | tail -1 || true)
python3 -c "print(f'ratio_highest_sustained_rate_to_baseline_tps={float(${HELD:-0}) / float($BASE):.3f}')"
