#!/usr/bin/env bash
# Outbound webhook delivery throughput (issue 23): 5,000 events already committed to the outbox,
# delivered by one instance's workers (lease, Standard Webhooks signature, POST over loopback to a
# local receiver, attempt recorded) to 8 endpoints, after a warm-up round; then PostgreSQL's raw
# durable single-row insert rate on the same server (../shared/bench/pg-insert-baseline.sh) and the
# ratio of deliveries/s to it (each delivery costs two short write transactions).
# Usage: bench/outbound-delivery.sh   (-Dbench.deliveries=N -Dbench.endpoints=E for other sizes)
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT=$(./mvnw -B -q test -Dtest=OutboundDeliveryBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
    | grep -E '^outbound_' || true)
echo "$OUT"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
RATE=$(echo "$OUT" | sed -n 's/^outbound_deliveries_per_s=//p')
python3 -c "print(f'ratio_deliveries_per_s_to_baseline_tps={float($RATE) / float($BASE):.3f}')"
echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg)"
