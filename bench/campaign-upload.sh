#!/usr/bin/env bash
# Creating a 100,000-recipient campaign from a CSV (issue 22, goal: under 5 s), over HTTP against
# the test harness's server and this machine's PostgreSQL: six runs, each a fresh campaign (the
# first cold, the median of the other five warm), then PostgreSQL's raw durable single-row insert
# rate on the same server (../shared/bench/pg-insert-baseline.sh) and the ratio of rows/s to it.
# Usage: bench/campaign-upload.sh   (-Dbench.rows=N for another size)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=$(./mvnw -B -q test -Dtest=CampaignUploadBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
    | grep -E '^campaign_upload' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
RATE=$(echo "$OUT" | sed -n 's/^campaign_upload_rows_per_s=//p')
python3 -c "print(f'ratio_rows_per_s_to_baseline_tps={float($RATE) / float($BASE):.2f}')"
