#!/usr/bin/env bash
# Dashboards at scale (issue 10): seeds bench/seed-dashboard.sql (1,000 users, 5,000 agents,
# 1,000,000 calls, ~300,000 lead analyses) into a fresh database on the PostgreSQL named by
# TEST_DATABASE_URL (default the local server), times REFRESH MATERIALIZED VIEW CONCURRENTLY of
# user_kpi_summary, and measures p50/p95 of the overview and analytics endpoints (1 and 8 loopback clients,
# cache warm and cache evicted before every request).
# Usage: bench/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test -Dtest=DashboardBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.timeout=3600 2>&1 | grep -E "^(dashboard|psql)" || true
