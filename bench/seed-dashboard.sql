-- Dashboard benchmark data (issue 10): 1,000 users, 5,000 agents (5 each), 1,000,000 calls spread
-- over the last 90 days (80% completed, 20% failed, durations 0-10 minutes), and 300,000 individual
-- lead analyses on 300,000 of those calls. Triggers stay on, so the rollups are built exactly as in
-- production. Rows go in by chunks of 100,000, each committed and followed by ANALYZE: in one long
-- transaction every rollup row would keep all its row versions (hundreds for a user's month) and
-- each trigger update would walk them, and the trigger queries are planned from statistics, so a
-- table analysed while empty makes the lead trigger scan the whole lead_analytics index per row.
-- (In production each webhook is its own transaction and autovacuum keeps statistics current.)
-- Run with autocommit (psql -f, or JDBC's default) on a migrated, otherwise empty database.
INSERT INTO users (id, email, name, credits)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid, 'bench' || u || '@bench.test', 'Bench ' || u, 1000
  FROM generate_series(1, 1000) AS u;

INSERT INTO agents (id, user_id, bolna_agent_id, name)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex((a - 1) / 5 + 1), 12, '0'))::uuid, 'bench-agent-' || a, 'Agent ' || a
  FROM generate_series(1, 5000) AS a;

ANALYZE users;
ANALYZE agents;

DO $$
BEGIN
    FOR chunk IN 0..9 LOOP
        INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes,
                           duration_seconds, credits_used, created_at)
        SELECT ('00000000-0000-4000-8000-' || lpad(to_hex((c % 5000) / 5 + 1), 12, '0'))::uuid,
               ('00000000-0000-4000-9000-' || lpad(to_hex(c % 5000 + 1), 12, '0'))::uuid,
               'bench-exec-' || c, '+1415' || lpad((c % 9000000 + 1000000)::text, 7, '0'),
               CASE WHEN c % 5 = 0 THEN 'failed' ELSE 'completed' END,
               CASE WHEN c % 5 = 0 THEN 0 ELSE c % 11 END, CASE WHEN c % 5 = 0 THEN 0 ELSE (c % 11) * 60 END,
               CASE WHEN c % 5 = 0 THEN 0 ELSE c % 11 END,
               -- spread evenly over the last 90 days (7919 is prime, so consecutive calls land far apart)
               now() - make_interval(secs => (c::bigint * 7919) % (90 * 86400))
          FROM generate_series(chunk * 100000 + 1, (chunk + 1) * 100000) AS c;
        ANALYZE calls;
        ANALYZE agent_analytics;
        ANALYZE user_analytics;
        ANALYZE user_daily_analytics;
        ANALYZE call_analytics_cache;
        COMMIT;
        RAISE NOTICE 'calls % at %', (chunk + 1) * 100000, clock_timestamp();
    END LOOP;
    -- Analyses on calls whose number ends in 0, 1 or 2 (30%).
    FOR chunk IN 0..9 LOOP
        INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score, intent_score,
                                    lead_status_tag, cta_pricing_clicked, cta_demo_clicked)
        SELECT c.id, c.user_id, c.phone_number, 'individual', (c.duration_minutes * 9) % 101,
               (c.duration_minutes * 7) % 101,
               CASE WHEN c.duration_minutes > 7 THEN 'Hot' WHEN c.duration_minutes > 3 THEN 'Warm' ELSE 'Cold' END,
               c.duration_minutes % 3 = 0, c.duration_minutes % 4 = 0
          FROM generate_series(chunk * 100000 + 1, (chunk + 1) * 100000) AS n
          JOIN calls c ON c.bolna_execution_id = 'bench-exec-' || n
         WHERE n % 10 < 3;
        ANALYZE lead_analytics;
        ANALYZE agent_analytics;
        ANALYZE user_analytics;
        COMMIT;
        RAISE NOTICE 'lead analyses of the first % calls at %', (chunk + 1) * 100000, clock_timestamp();
    END LOOP;
END $$;

-- The seed puts 90 days of updates to each daily rollup row into 11 minutes, leaving ~3 dead row
-- versions per live one that autovacuum would clear within minutes (and never lets pile up at a
-- real call rate). Vacuum now, so the reads are measured on the tables production has.
VACUUM ANALYZE;
