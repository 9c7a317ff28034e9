#!/usr/bin/env bash
# WAL written per call lifecycle (decisions 0058 and 0059): a scratch database built from this checkout's
# migrations, 300,000 calls of 100 accounts, then 5,000 lifecycles of one commit per step (the dial's
# insert, its binding to the execution, the contact's link, two webhooks, the end) after a CHECKPOINT, so
# that every index page first touched writes a whole page to the WAL as it does on a large table. Runs the
# lifecycles twice: with random (version 4) call ids, then with time-ordered (version 7) ones, as
# ai.calling.common.Ids makes them (made here by a SQL function: PostgreSQL 15 has none).
# Run it alone on the server: the WAL position is the server's.
# Usage: bash bench/wal-per-call.sh   (env: PGHOST, PGPORT, PGUSER)
# Prints: wal_bytes_per_call_random_ids=<n> and wal_bytes_per_call_time_ordered_ids=<n>
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DB="wal_per_call_$$"
trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1' EXIT
psql -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
for f in $(ls db/migration/V*.sql | sed -E 's/.*\/V([0-9]+)__.*/\1 &/' | sort -n | cut -d' ' -f2) db/migration/R__*.sql; do
    psql -q -v ON_ERROR_STOP=1 -d "$DB" -f "$f" >/dev/null 2>&1
done
psql -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<'SQL'
INSERT INTO users (id, email, name) SELECT md5('u' || g)::uuid, 'u' || g || '@bench.test', 'U' || g FROM generate_series(1, 100) g;
INSERT INTO agents (id, user_id, bolna_agent_id, name)
SELECT md5('a' || g)::uuid, md5('u' || g)::uuid, 'b' || g, 'A' || g FROM generate_series(1, 100) g;
INSERT INTO contacts (id, user_id, name, phone_number)
SELECT md5('c' || g)::uuid, md5('u' || ((g - 1) % 100 + 1))::uuid, 'C', '+1415555' || lpad(g::text, 4, '0')
  FROM generate_series(1, 5000) g;
-- history without its rollups (no trigger fires for a replica's writes)
SET session_replication_role = replica;
INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, created_at, call_source)
SELECT md5('u' || (g % 100 + 1))::uuid, md5('a' || (g % 100 + 1))::uuid, 'old-' || g,
       '+1415555' || lpad((g % 5000 + 1)::text, 4, '0'), 'completed', now() - interval '1 day' * (g % 90), 'phone'
  FROM generate_series(1, 300000) g;
RESET session_replication_role;
VACUUM ANALYZE calls;
-- a version 7 UUID: the millisecond over the first 48 bits of a random one, version bits 0111
CREATE FUNCTION bench_uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING
         substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1),
         'hex')::uuid
$$;
CREATE PROCEDURE bench_lifecycles(time_ordered boolean) LANGUAGE plpgsql AS $$
DECLARE cid uuid;
BEGIN
  FOR i IN 1..5000 LOOP
    cid := CASE WHEN time_ordered THEN bench_uuid_v7() ELSE gen_random_uuid() END;
    INSERT INTO calls (id, user_id, agent_id, phone_number, status, dial_status, metadata, call_source)
    VALUES (cid, md5('u' || (i % 100 + 1))::uuid, md5('a' || (i % 100 + 1))::uuid,
            '+1415555' || lpad((i % 5000 + 1)::text, 4, '0'), 'in_progress', 'dialing', '{"x":1}', 'phone');
    COMMIT;
    UPDATE calls SET bolna_execution_id = 'ex-' || cid, dial_status = 'confirmed' WHERE id = cid;
    COMMIT;
    UPDATE calls SET contact_id = md5('c' || (i % 5000 + 1))::uuid, call_lifecycle_status = 'ringing',
                     bolna_metadata = '{"status":"ringing","a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}'
     WHERE id = cid;
    COMMIT;
    UPDATE calls SET call_lifecycle_status = 'answered',
                     bolna_metadata = '{"status":"answered","a":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}'
     WHERE id = cid;
    COMMIT;
    UPDATE calls SET call_lifecycle_status = 'disconnected', call_answered_at = now() WHERE id = cid;
    COMMIT;
    UPDATE calls SET status = 'completed', duration_minutes = 1, credits_used = 1 WHERE id = cid;
    COMMIT;
  END LOOP;
END $$;
SQL
for ids in random time_ordered; do
    start=$(psql -Atq -d "$DB" -c "CHECKPOINT" -c "SELECT pg_current_wal_lsn()")
    psql -q -v ON_ERROR_STOP=1 -d "$DB" -c "SET synchronous_commit = off" \
        -c "CALL bench_lifecycles($([ "$ids" = time_ordered ] && echo true || echo false))" >/dev/null
    echo "wal_bytes_per_call_${ids}_ids=$(psql -Atq -d "$DB" -c "SELECT (pg_current_wal_lsn() - '$start'::pg_lsn) / 5000")"
done
