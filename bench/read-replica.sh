#!/usr/bin/env bash
# Dashboards on a read replica (issue 26, goal 4; decision 0018): starts a streaming replica of this
# machine's PostgreSQL 15 cluster (pg_basebackup into a temporary directory, port 5433, hot standby),
# then runs ReadReplicaBenchmark: a fresh database seeded with 200,000 calls
# (bench/seed-dashboard.sql cut to 2 chunks; -Dbench.chunks=10 for the full 1M), and the dashboard's
# overview and analytics endpoints called by 8 loopback clients for 30 s with the cache evicted before
# every request, once with the primary only and once with SPRING_DATASOURCE_REPLICA_URL
# (app.datasource.replica.url) pointing at the replica. Prints per run requests/s, p50/p95 and the
# load of each server over the run (pg_stat_database deltas, CPU time of the database's backends),
# then the insert baseline of the same run (../shared/bench/pg-insert-baseline.sh) and the ratios.
#
# Set-up and clean-up, as root on the Debian cluster /etc/postgresql/15/main:
# - appends "host replication all 127.0.0.1/32 trust" to its pg_hba.conf when missing and reloads;
#   a line this run added is removed again at exit (a line that was already there stays);
# - a physical replication slot bench_read_replica keeps the WAL the replica has not received yet
#   (a replica that falls behind under a 2-core load would otherwise lose its stream); dropped at exit;
# - the replica lives in /tmp/read-replica.XXXXXX (owned by postgres, with its own minimal
#   postgresql.conf and pg_hba.conf: the Debian cluster keeps its own in /etc) and is stopped and
#   deleted at exit; a leftover of an interrupted run (a /tmp/read-replica.* on port 5433, the slot)
#   is removed first.
# Usage: bench/read-replica.sh [-Dbench.seconds=30 -Dbench.clients=8 -Dbench.chunks=2]
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}"
export TEST_USE_DOCKER=false # the replica copies the local server, so the benchmark's database must be on it
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

PGBIN=/usr/lib/postgresql/15/bin
HBA=/etc/postgresql/15/main/pg_hba.conf
HBA_LINE='host replication all 127.0.0.1/32 trust'
PORT=5433
SLOT=bench_read_replica
PRIMARY=(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atq -v ON_ERROR_STOP=1)
REPLICA=(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atq)
ADDED_HBA=
DIR=

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

stop_replica() { # $1: its data directory
    as_postgres "$PGBIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$(dirname "$1")"
}

drop_slot() {
    "${PRIMARY[@]}" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                         WHERE slot_name = '$SLOT' AND NOT active" >/dev/null || true
}

cleanup() {
    if [ -n "$DIR" ]; then
        stop_replica "$DIR/data"
        DIR=
    fi
    drop_slot
    if [ -n "$ADDED_HBA" ]; then
        grep -vxF "$HBA_LINE" "$HBA" >"$HBA.tmp" && cat "$HBA.tmp" >"$HBA" && rm -f "$HBA.tmp"
        "${PRIMARY[@]}" -c 'SELECT pg_reload_conf()' >/dev/null || true
        ADDED_HBA=
    fi
}
trap cleanup EXIT

# an interrupted run's replica and slot
if LEFT=$("${REPLICA[@]}" -c 'SHOW data_directory' 2>/dev/null); then
    case "$LEFT" in
    /tmp/read-replica.*/data) echo "stopping the replica an earlier run left at $LEFT"; stop_replica "$LEFT" ;;
    *) echo "port $PORT is taken by $LEFT, not a replica of this script" >&2; exit 1 ;;
    esac
fi
drop_slot

if ! grep -qxF "$HBA_LINE" "$HBA"; then
    echo "$HBA_LINE" >>"$HBA"
    ADDED_HBA=1
    "${PRIMARY[@]}" -c 'SELECT pg_reload_conf()' >/dev/null
fi

echo "load_average_before=$(cut -d' ' -f1-3 /proc/loadavg)"
DIR=$(mktemp -d /tmp/read-replica.XXXXXX)
chown postgres:postgres "$DIR"
chmod 700 "$DIR"
STARTED=$(date +%s)
as_postgres "$PGBIN/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$DIR/data" -R -X stream -C -S "$SLOT" \
    -c fast
cat >"$DIR/data/postgresql.conf" <<CONF
# the streaming replica of bench/read-replica.sh (the primary's own configuration is in /etc)
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
cluster_name = 'bench_replica'
# as the primary (a hot standby needs at least the primary's max_connections)
max_connections = 100
shared_buffers = 128MB
hot_standby = on
# the primary's VACUUM keeps what the replica's queries still read, instead of cancelling them
hot_standby_feedback = on
datestyle = 'iso, mdy'
timezone = 'Etc/UTC'
log_timezone = 'Etc/UTC'
lc_messages = 'C.UTF-8'
lc_monetary = 'C.UTF-8'
lc_numeric = 'C.UTF-8'
lc_time = 'C.UTF-8'
default_text_search_config = 'pg_catalog.english'
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DIR/data/pg_hba.conf"
: >"$DIR/data/pg_ident.conf"
chown postgres:postgres "$DIR/data/postgresql.conf" "$DIR/data/pg_hba.conf" "$DIR/data/pg_ident.conf"
as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/replica.log" -w -t 120 -o "-p $PORT -c hot_standby=on" start \
    >/dev/null
for _ in $(seq 1 120); do
    [ "$("${REPLICA[@]}" -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] && break
    sleep 1
done
[ "$("${REPLICA[@]}" -c 'SELECT pg_is_in_recovery()')" = t ] || { echo "the replica is not in recovery" >&2; exit 1; }
LAG=
for _ in $(seq 1 120); do
    LAG=$("${PRIMARY[@]}" -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint
                               FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid
                              WHERE s.slot_name = '$SLOT'")
    [ -n "$LAG" ] && [ "$LAG" -lt 1048576 ] && break
    sleep 1
done
echo "replica_started port=$PORT seconds=$(($(date +%s) - STARTED)) replay_lag_bytes=${LAG:-unknown} size=$(du -sh "$DIR/data" | cut -f1)"

OUT=$(./mvnw -B -q test -Dtest=ReadReplicaBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.timeout=3600 \
    -Dbench.replica.port="$PORT" "$@" 2>&1 | grep -E '^(replica_|psql)' || true)
echo "$OUT"
echo "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)"
cleanup
echo "replica_stopped_and_deleted=true"

echo "load_average_baseline=$(cut -d' ' -f1-3 /proc/loadavg)"
BASE=$(bash ../shared/bench/pg-insert-baseline.sh 10 | sed -n 's/baseline_tps=//p')
echo "baseline_tps=$BASE"
OUT="$OUT" BASE="$BASE" python3 - <<'PY'
import os, re
out, base = os.environ["OUT"], float(os.environ["BASE"] or "nan")
def fields(line):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}
runs = {}
for line in out.splitlines():
    f = fields(line)
    if "run" not in f:
        continue
    r = runs.setdefault(f["run"], {"mode": f["mode"]})
    if line.startswith("replica_run"):
        r["rps"], r["requests"] = float(f["requests_per_s"]), float(f["requests"])
    elif line.startswith("replica_load") and f["server"] == "primary":
        r["xacts_per_request"] = float(f["xacts_per_request"])
        r["blks_per_request"] = float(f["blks_per_request"])
        r["tuples_per_request"] = float(f["tuples_per_request"])
        r["backend_cpu_ms_per_request"] = float(f["backend_cpu_s"]) * 1000 / r["requests"]
for n, r in sorted(runs.items()):
    print(f"run={n} mode={r['mode']} ratio_requests_per_s_to_baseline_tps={r['rps'] / base:.3f} "
          f"primary_backend_cpu_ms_per_request={r['backend_cpu_ms_per_request']:.3f}")
alone = [r for r in runs.values() if r["mode"] == "primary_only"]
replica = [r for r in runs.values() if r["mode"] == "with_replica"]
if alone and replica:
    mean = lambda rs, k: sum(r[k] for r in rs) / len(rs)
    print("with_replica to primary_only (mean of the primary-only runs):")
    for k in ("rps", "xacts_per_request", "blks_per_request", "tuples_per_request", "backend_cpu_ms_per_request"):
        a, b = mean(alone, k), mean(replica, k)
        print(f"ratio_{'requests_per_s' if k == 'rps' else 'primary_' + k}={b / a if a else float('nan'):.3f}")
PY
