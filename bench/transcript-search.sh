#!/usr/bin/env bash
# Transcript search at 1,000,000 transcripts (issue 24, goal: p95 under 50 ms for a two-word query of
# one tenant): seeds 1,000 users x 1,000 calls with 60-word transcripts into a fresh database on the
# PostgreSQL named by TEST_DATABASE_URL (default the local server), then measures two-word searches
# of one tenant over HTTP (1 and 4 loopback clients, after a warm-up); then PostgreSQL's raw durable
# insert rate on the same server (../shared/bench/pg-insert-baseline.sh).
# Usage: bench/transcript-search.sh   (-Dbench.calls=N for another size)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test -Dtest=TranscriptSearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=3600 "$@" 2>&1 | grep -E '^search' || true
bash ../shared/bench/pg-insert-baseline.sh 10 | grep baseline_tps
