#!/usr/bin/env bash
# The added cost of outbound webhooks on the Bolna webhook ingest path (issue 23): the ingest
# benchmark (bench/webhook-ingest.sh, WebhookBenchmark) twice in this run, first with no outbound
# endpoint, then with one endpoint per account subscribed to call.completed and call.failed (events
# written to the outbox in the calls' transactions and delivered meanwhile to a local receiver);
# prints both runs' figures and the ratios of their rates (1.00: no cost), then PostgreSQL's raw
# durable single-row insert rate on the same server (../shared/bench/pg-insert-baseline.sh), each
# run's ratio to it and the load average.
# Usage: bench/webhook-ingest-with-endpoint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
run() {
    ./mvnw -B -q test -Dtest=WebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
        | grep -E '^webhook_(events_per_s|p99_ms|ingest_and_processing_events_per_s|drained_s|calls_completed|balances_off|outbound_events|outbound_delivered|outbound_delivered_after_s)=' || true
}
NONE=$(run -Dbench.webhook-endpoint=false)
echo "$NONE" | sed 's/^/none_/'
ONE=$(run -Dbench.webhook-endpoint=true)
echo "$ONE" | sed 's/^/one_endpoint_/'
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
python3 - "$NONE" "$ONE" "$BASE" <<'PY'
import sys
def parse(text):
    return dict(line.split('=', 1) for line in text.splitlines() if '=' in line)
none, one, base = parse(sys.argv[1]), parse(sys.argv[2]), float(sys.argv[3])
for name, run in (('none', none), ('one_endpoint', one)):
    if 'webhook_events_per_s' not in run:
        sys.exit(f'the {name} run printed no rate (see target/surefire-reports/*WebhookBenchmark*)')
    print(f"ratio_{name}_events_per_s_to_baseline_tps={float(run['webhook_events_per_s']) / base:.2f}")
for key in ('webhook_events_per_s', 'webhook_ingest_and_processing_events_per_s'):
    print(f"ratio_{key}_one_endpoint_to_none={float(one[key]) / float(none[key]):.2f}")
PY
echo "load_average=$(cut -d' ' -f1-3 /proc/loadavg)"
