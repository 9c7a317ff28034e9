#!/usr/bin/env bash
# Cold start (issue 26, goal 2): the time from launching the JVM to /actuator/health answering UP,
# and the webhook throughput of the first minute after that, for three launches of the same build:
#   jar          java -jar target/calling-agent-backend-*.jar (the build's JDK; the README's launch)
#   image        the image's entrypoint without -XX:AOTCache (its own runtime, packaged jar, libs)
#   image+cache  the image's entrypoint as shipped, with the AOT cache trained at build time
# The image is target/jib-image.tar (built here with -Pimage on "scratch" unless SKIP_BUILD=1),
# unpacked to target/startup/root and run from there (decision 0024). Every start gets a copy of
# one template database (migrated, 10 accounts, CALLS calls awaiting their webhooks), so Flyway only
# validates, as at a production restart. The first minute: wrk (2 threads, 16 connections,
# bench/startup.lua) posts each call's five lifecycle events as fast as they are acknowledged,
# starting the moment health is UP; reported are the events stored (acknowledged) per second over
# the minute and the events applied (processed) by its end, per 10-second slice too. Then
# PostgreSQL's raw insert baseline of the same run (../shared/bench/pg-insert-baseline.sh 10) and
# the ratios. Prints key=value lines; load averages beside each figure.
# Usage: bench/startup.sh [starts per launch=5] [first minutes per launch=3]
#        (env: SKIP_BUILD=1, LOAD_SECONDS=60, CALLS=150000, PGHOST/PGPORT/PGUSER)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
MINUTES="${2:-3}"
LOAD_SECONDS="${LOAD_SECONDS:-60}"
CALLS="${CALLS:-150000}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://$PGHOST:$PGPORT/postgres}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
OUT=target/startup
ROOT="$PWD/$OUT/root"
PORT=18181
TEMPLATE="startup_template_$$"
RUN_DB="startup_run_$$"
RESULTS="$OUT/results.csv"
mkdir -p "$OUT"
: > "$RESULTS"

load() { cut -d' ' -f1-3 /proc/loadavg; }
psql_q() { psql -q -X -v ON_ERROR_STOP=1 -d postgres "$@"; }

SERVER=""
cleanup() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; fi
  psql_q -c "DROP DATABASE IF EXISTS $RUN_DB WITH (FORCE)" -c "DROP DATABASE IF EXISTS $TEMPLATE WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building the image (-Pimage: runtime, training run, AOT cache) ..." >&2
  ./mvnw -B -q -DskipTests -Pimage package jib:buildTar -Djib.from.image=scratch -Djib.disableUpdateChecks=true
fi
JAR=$(ls target/calling-agent-backend-*.jar | grep -v original | head -1)

# --- unpack the image with its files' times and modes (the cache fits only the very same jars) ---
python3 - target/jib-image.tar "$ROOT" <<'PY'
import io, json, shutil, sys, tarfile
tarball, root = sys.argv[1], sys.argv[2]
shutil.rmtree(root, ignore_errors=True)
with tarfile.open(tarball) as outer:
    blob = lambda digest: outer.extractfile('blobs/' + digest.replace(':', '/')).read()
    index = json.loads(outer.extractfile('index.json').read())
    manifest = json.loads(blob(index['manifests'][0]['digest']))
    config = json.loads(blob(manifest['config']['digest']))
    for layer in manifest['layers']:
        with tarfile.open(fileobj=io.BytesIO(blob(layer['digest'])), mode='r:gz') as inner:
            inner.extractall(root)
entrypoint = config['config']['Entrypoint']
with open(root + '/entrypoint', 'w') as out:
    out.write('\n'.join(entrypoint) + '\n')
with open(root + '/app/jib-classpath-file') as f:
    classpath = f.read().strip().replace('/app/', root + '/app/')
with open(root + '/app/jib-classpath-file.relocated', 'w') as f:
    f.write(classpath)
PY
grep -qx -- "-XX:AOTCache=/app/aot/app.aot" "$ROOT/entrypoint" || { echo "the image's entrypoint has no AOT cache" >&2; exit 1; }
IMAGE_JAVA="$ROOT/opt/calling/java/bin/java"
IMAGE_CP="@$ROOT/app/jib-classpath-file.relocated"

launch() { # variant -> the command line
  case "$1" in
    jar) echo "$JAVA_HOME/bin/java -XX:MaxRAMPercentage=75 -jar $JAR" ;;
    image) echo "$IMAGE_JAVA -XX:MaxRAMPercentage=75 -cp $IMAGE_CP ai.calling.Application" ;;
    image+cache) echo "$IMAGE_JAVA -XX:MaxRAMPercentage=75 -XX:AOTCache=$ROOT/app/aot/app.aot -cp $IMAGE_CP ai.calling.Application" ;;
  esac
}

# start <variant> <database> <log>: launches (SERVER: its pid), waits for health UP (UP_S: seconds)
start() {
  local begin end
  begin=$(date +%s%N)
  SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$2" SPRING_DATASOURCE_USERNAME="$PGUSER" \
    SPRING_DATASOURCE_PASSWORD="${PGPASSWORD:-}" JWT_SECRET=startup-bench-secret-0123456789-abcdefghijkl \
    BOLNA_WEBHOOK_SECRET=bench-secret SERVER_PORT=$PORT \
    $(launch "$1") > "$3" 2>&1 &
  SERVER=$!
  until curl -s -m 2 "http://127.0.0.1:$PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 "$SERVER" 2>/dev/null || { echo "the $1 launch stopped; see $3" >&2; tail -20 "$3" >&2; exit 1; }
    sleep 0.05
  done
  end=$(date +%s%N)
  UP_S=$(python3 -c "print(f'{($end - $begin) / 1e9:.2f}')")
}

stop() {
  kill "$SERVER"
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

fresh_database() {
  psql_q -c "DROP DATABASE IF EXISTS $RUN_DB WITH (FORCE)" -c "CREATE DATABASE $RUN_DB TEMPLATE $TEMPLATE" >/dev/null
}

# --- the template: migrated by the application itself, then seeded -----------------------------
psql_q -c "CREATE DATABASE $TEMPLATE" >/dev/null
start image+cache "$TEMPLATE" "$OUT/migrate.log"
stop
psql -q -X -v calls="$CALLS" -d "$TEMPLATE" -f bench/seed-startup.sql >/dev/null
echo "template=$TEMPLATE calls=$CALLS"

VARIANTS="jar image image+cache"
# --- start-up time to health UP, interleaved so that load changes hit every launch alike --------
for run in $(seq 1 "$RUNS"); do
  for variant in $VARIANTS; do
    fresh_database
    start "$variant" "$RUN_DB" "$OUT/start-$variant-$run.log"
    seconds=$UP_S
    started=$(grep -o 'Started Application in [0-9.]* seconds' "$OUT/start-$variant-$run.log" | grep -o '[0-9.]*' | head -1 || true)
    stop
    echo "start_up_s variant=$variant run=$run health_up_s=$seconds spring_started_s=$started load=\"$(load)\""
    echo "start,$variant,$run,$seconds,$started,$(load | cut -d' ' -f1)" >> "$RESULTS"
  done
done

# --- the first minute after health UP ---------------------------------------------------------
for run in $(seq 1 "$MINUTES"); do
  for variant in $VARIANTS; do
    fresh_database
    start "$variant" "$RUN_DB" "$OUT/minute-$variant-$run.log"
    seconds=$UP_S
    wrk_out=$(wrk -t2 -c16 -d"${LOAD_SECONDS}s" --timeout 10s -s bench/startup.lua \
      "http://127.0.0.1:$PORT/api/webhooks/bolna?token=bench-secret" -- 2 2>&1)
    counts=$(psql -X -At -F' ' -d "$RUN_DB" -c "SELECT count(*), count(*) FILTER (WHERE state = 'processed'),
        (SELECT count(*) FROM calls WHERE bolna_execution_id LIKE 'cold-%' AND status = 'completed') FROM bolna_webhook_events")
    slices=$(psql -X -At -d "$RUN_DB" -c "SELECT string_agg(n::text, '/' ORDER BY s) FROM (SELECT floor(extract(epoch FROM
        received_at - (SELECT min(received_at) FROM bolna_webhook_events)) / 10) s, count(*) n FROM bolna_webhook_events GROUP BY 1) t")
    stop
    read -r stored applied completed <<<"$counts"
    p99=$(sed -n 's/^wrk_p99_ms=//p' <<<"$wrk_out")
    errors=$(sed -n 's/^wrk_errors=//p' <<<"$wrk_out")
    rate=$(python3 -c "print(round($stored / $LOAD_SECONDS))")
    applied_rate=$(python3 -c "print(round($applied / $LOAD_SECONDS))")
    echo "first_minute variant=$variant run=$run health_up_s=$seconds events_per_s=$rate applied_per_s=$applied_rate" \
      "stored=$stored applied=$applied calls_completed=$completed p99_ms=$p99 per_10s=$slices errors=\"$errors\" load=\"$(load)\""
    echo "minute,$variant,$run,$rate,$applied_rate,$(load | cut -d' ' -f1),$p99" >> "$RESULTS"
  done
done

BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE load=\"$(load)\""

python3 - "$RESULTS" "$BASE" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
base = float(sys.argv[2])
def median(kind, variant, column):
    values = [float(r[column]) for r in rows if r[0] == kind and r[1] == variant and r[column] not in ('', None)]
    return statistics.median(values) if values else float('nan')
variants = ['jar', 'image', 'image+cache']
for v in variants:
    print(f"median variant={v} health_up_s={median('start', v, 3):.2f} spring_started_s={median('start', v, 4):.2f}"
          f" first_minute_events_per_s={median('minute', v, 3):.0f} applied_per_s={median('minute', v, 4):.0f}"
          f" p99_ms={median('minute', v, 6):.1f} ratio_events_to_baseline={median('minute', v, 3) / base:.2f}"
          f" ratio_applied_to_baseline={median('minute', v, 4) / base:.2f}")
ratio = lambda a, b: f"{a / b:.2f}" if b else "n/a"
for v in ['jar', 'image']:
    print(f"ratio_image+cache_to_{v} health_up_s={ratio(median('start', 'image+cache', 3), median('start', v, 3))}"
          f" first_minute_events_per_s={ratio(median('minute', 'image+cache', 3), median('minute', v, 3))}"
          f" applied_per_s={ratio(median('minute', 'image+cache', 4), median('minute', v, 4))}")
PY
