#!/usr/bin/env bash
# The added cost of outbound webhooks on the Bolna webhook ingest path (issue 23): the ingest
# benchmark (bench/webhook-ingest.sh, WebhookBenchmark) twice in this run, first with no outbound
# endpoint, then with one endpoint per account subscribed to call.completed and call.failed (events
# written to the outbox in the calls' transactions and delivered meanwhile to a local receiver);
# prints both runs' figures and the ratios of their rates (1.00: no cost).
# Usage: bench/webhook-ingest-with-endpoint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
run() {
    ./mvnw -B -q test -Dtest=WebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@" 2>&1 \
        | grep -E '^webhook_(events_per_s|ingest_and_processing_events_per_s|drained_s|calls_completed|outbound_events)=' || true
}
NONE=$(run -Dbench.webhook-endpoint=false)
echo "$NONE" | sed 's/^/none_/'
ONE=$(run -Dbench.webhook-endpoint=true)
echo "$ONE" | sed 's/^/one_endpoint_/'
python3 - "$NONE" "$ONE" <<'PY'
import sys
def parse(text):
    return dict(line.split('=', 1) for line in text.splitlines() if '=' in line)
none, one = parse(sys.argv[1]), parse(sys.argv[2])
for key in ('webhook_events_per_s', 'webhook_ingest_and_processing_events_per_s'):
    print(f"ratio_{key}_one_endpoint_to_none={float(one[key]) / float(none[key]):.2f}")
PY
