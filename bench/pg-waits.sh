#!/usr/bin/env bash
# Where the benchmark's PostgreSQL backends spend their time: samples the wait event of every active
# backend of the newest calling_test_* database (the one a benchmark is running on) every 0.2 s until
# it gets TERM (a background job of a script ignores Ctrl-C's INT), then prints the shares (CPU = no wait
# event) and the statements behind the three largest. Its psql every 0.2 s costs a few percent of a core:
# stop it before the next run. With PG_FUNCTIONS=1 it also copies that database's pg_stat_user_functions
# every 3 s (the benchmark drops its database at the end) and prints the last copy: the server needs
# track_functions = pl for the run (ALTER SYSTEM SET track_functions = 'pl'; SELECT pg_reload_conf(); RESET it after).
# Usage: bash bench/pg-waits.sh > waits.txt & sampler=$!; bash bench/campaign-dispatch.sh -o; kill $sampler
# (env: PGHOST, PGPORT, PGUSER as for psql)
set -u
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SAMPLES=$(mktemp)
FUNCTIONS=$(mktemp)
report() {
    total=$(wc -l < "$SAMPLES")
    echo "samples=$total (active backends every 0.2 s)"
    cut -d'|' -f1,2 "$SAMPLES" | sort | uniq -c | sort -rn | head -12 \
        | awk -v t="$total" '{ printf "%6d %5.1f%% %s\n", $1, (t ? 100 * $1 / t : 0), $2 }'
    cut -d'|' -f1,2 "$SAMPLES" | sort | uniq -c | sort -rn | head -3 | while read -r _ wait; do
        echo "-- statements waiting on $wait"
        grep -F "$wait|" "$SAMPLES" | cut -d'|' -f3 | sort | uniq -c | sort -rn | head -5
    done
    if [ -s "$FUNCTIONS" ]; then
        echo "-- functions (name|calls|total ms|self ms), last copy"
        cat "$FUNCTIONS"
    fi
    rm -f "$SAMPLES" "$FUNCTIONS"
    exit 0
}
trap report INT TERM
tick=0
while true; do
    psql -AtF'|' -d postgres -c "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'),
            left(regexp_replace(query, '\s+', ' ', 'g'), 60)
          FROM pg_stat_activity
         WHERE datname = (SELECT datname FROM pg_database WHERE datname LIKE 'calling_test_%' ORDER BY oid DESC LIMIT 1)
           AND state = 'active' AND pid <> pg_backend_pid()" >> "$SAMPLES" 2>/dev/null
    tick=$((tick + 1))
    if [ "${PG_FUNCTIONS:-0}" = 1 ] && [ $((tick % 15)) = 0 ]; then
        db=$(psql -At -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE 'calling_test_%' ORDER BY oid DESC LIMIT 1")
        if [ -n "$db" ]; then
            copy=$(psql -AtF'|' -d "$db" -c "SELECT funcname, calls, round(total_time::numeric, 1), round(self_time::numeric, 1)
                    FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT 15" 2>/dev/null)
            [ -n "$copy" ] && echo "$copy" > "$FUNCTIONS"
        fi
    fi
    sleep 0.2 &
    wait $!
done
