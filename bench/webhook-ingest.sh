#!/usr/bin/env bash
# Webhook ingestion (issue 8): 10,000 Bolna lifecycle events for 2,000 calls posted over loopback
# by wrk (a separate process, 16 connections; bench/webhook.lua), after a warm-up that lasts until the
# JIT compilers are nearly idle, to the server running against the PostgreSQL named by TEST_DATABASE_URL (default
# the local server); prints events/s and p99 latency, then PostgreSQL's raw durable single-row
# insert rate on the same server (../../shared/bench/pg-insert-baseline.sh) and the ratio.
# Usage: bench/webhook-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
OUT=$(./mvnw -B -q test -Dtest=WebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E '^(webhook|wrk)_' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
RATE=$(echo "$OUT" | sed -n 's/^webhook_events_per_s=//p')
python3 -c "print(f'ratio_events_per_s_to_baseline_tps={float($RATE) / float($BASE):.2f}')"
