# Sourced by benchmarks whose figures depend on vacuum: turns autovacuum on for the run, as every
# production PostgreSQL runs it (the CI server here runs with autovacuum = off, conf.d/90-ci.conf), and
# puts the server's own setting back when the script exits, however it exits. Without it, the tables a
# dial or a webhook updates on every call (calls, call_slots, campaigns, credit_holds) keep every dead
# row version for the whole run, and statements prepared while the database was empty keep their
# plans (nothing analyses the tables): measured on the dispatcher, 152 dials/s at 12.2 ms of CPU each
# against 231 at 8.2 ms with autovacuum on (bench/README.md, "Dispatch with autovacuum").
# BENCH_AUTOVACUUM=server keeps the server's setting (for a figure under the CI's configuration).
# Prints autovacuum=<on|off> (and how it was set) for the record.
# the server of TEST_DATABASE_URL (jdbc:postgresql://host:port/...), as the benchmark's own user (a superuser here)
if [ -z "${PSQL_URL:-}" ]; then
    _server=$(echo "${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}" | sed -E 's#^jdbc:postgresql://([^/?]*).*#\1#')
    PSQL_URL="postgresql://${TEST_DATABASE_USERNAME:-postgres}@${_server}/postgres"
fi
if [ "${BENCH_AUTOVACUUM:-on}" = "server" ]; then
    echo "autovacuum=$(psql "$PSQL_URL" -Atc 'SHOW autovacuum') (the server's setting)"
elif [ "$(psql "$PSQL_URL" -Atc 'SHOW autovacuum')" = "on" ]; then
    echo "autovacuum=on (the server's setting)"
else
    psql "$PSQL_URL" -q -c "ALTER SYSTEM SET autovacuum = on" -c "SELECT pg_reload_conf()" >/dev/null
    trap 'psql "$PSQL_URL" -q -c "ALTER SYSTEM RESET autovacuum" -c "SELECT pg_reload_conf()" >/dev/null' EXIT
    sleep 1
    echo "autovacuum=$(psql "$PSQL_URL" -Atc 'SHOW autovacuum') (turned on for this run, as in production; reset at exit)"
fi
