# Sourced by benchmarks whose figures depend on vacuum: turns autovacuum on for the run, as every
# production PostgreSQL runs it (the CI server here runs with autovacuum = off, conf.d/90-ci.conf), and
# puts the server's own setting back when the script exits (any exit but SIGKILL: after one, run
# `psql -c 'ALTER SYSTEM RESET autovacuum' -c 'SELECT pg_reload_conf()'`). ALTER SYSTEM changes the whole
# server: run a benchmark alone on it, as every benchmark here asks anyway. Without it, the tables a
# dial or a webhook updates on every call (calls, call_slots, campaigns, credit_holds) keep every dead
# row version for the whole run, and statements prepared while the database was empty keep their
# plans (nothing analyses the tables): measured on the dispatcher, 12.2 ms of CPU per dial against 8.2
# with autovacuum on (bench/README.md, "Dispatch with autovacuum"; decision 0026).
# BENCH_AUTOVACUUM=server keeps the server's setting (for a figure under the CI's configuration).
# Prints autovacuum=<on|off> (and how it was set) for the record. Sets an EXIT trap: a script sourcing
# it that needs its own adds to this one rather than replacing it.
# The server of TEST_DATABASE_URL (jdbc:postgresql://host:port/...), as the benchmark's own user (a
# superuser, which ALTER SYSTEM needs) with its password.
if [ -z "${PSQL_URL:-}" ]; then
    _server=$(echo "${TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres}" | sed -E 's#^jdbc:postgresql://([^/?]*).*#\1#')
    PSQL_URL="postgresql://${TEST_DATABASE_USERNAME:-postgres}@${_server}/postgres"
fi
if [ -n "${TEST_DATABASE_PASSWORD:-}" ]; then
    export PGPASSWORD="$TEST_DATABASE_PASSWORD"
fi
if ! _autovacuum=$(psql "$PSQL_URL" -Atc "SELECT setting || ' ' || (sourcefile LIKE '%postgresql.auto.conf') FROM pg_settings WHERE name = 'autovacuum'"); then
    echo "autovacuum-as-in-production: cannot read the server's settings at $PSQL_URL" >&2
    exit 1
fi
if [ "${BENCH_AUTOVACUUM:-on}" = "server" ] || [ "${_autovacuum%% *}" = "on" ]; then
    echo "autovacuum=${_autovacuum%% *} (the server's setting)"
else
    # put back as it was: an ALTER SYSTEM value again, else the configuration files' value
    if [ "${_autovacuum#* }" = "true" ]; then
        _restore="ALTER SYSTEM SET autovacuum = ${_autovacuum%% *}"
    else
        _restore="ALTER SYSTEM RESET autovacuum"
    fi
    trap 'psql "$PSQL_URL" -q -c "$_restore" -c "SELECT pg_reload_conf()" >/dev/null' EXIT
    psql "$PSQL_URL" -q -c "ALTER SYSTEM SET autovacuum = on" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    echo "autovacuum=$(psql "$PSQL_URL" -Atc 'SHOW autovacuum') (turned on for this run, as in production; put back at exit)"
fi
