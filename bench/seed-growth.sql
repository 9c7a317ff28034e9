-- Growth benchmark data (issue 26, goal 3): the dashboard seed's shape at any size. Settings, read
-- with current_setting (set them first in the same session, e.g. psql -c "SET bench.users = 10000" ...):
--   bench.users      accounts (5 agents each; default 10,000)
--   bench.calls      calls spread over the last 90 days (default 10,000,000), 80% completed, 20% failed,
--                    durations 0-10 minutes; every user gets calls / users of them
--   bench.set_based  'on' (default): the rollup triggers are switched off while calls and lead analyses
--                    go in, and each rollup table is then built by one INSERT ... SELECT that computes
--                    what the triggers would have; 'off': every row goes through the triggers, as in
--                    production (hours at 10M calls: 1M took 11-15 minutes). GrowthSeedTest seeds a
--                    small data set both ways and checks that every rollup row is identical.
--   bench.now        the end of the 90 days (default now())
-- Completed calls and one failed call in five were answered; one call in ten is inbound. Lead analyses
-- (individual) go on the calls whose number ends in 0, 1 or 2 (30%), with bench/seed-dashboard.sql's
-- total and intent scores, tags and pricing/demo flags, plus the other scores and CTA flags.
-- Plain SQL (no psql meta-commands, no COMMIT), so it also runs through JDBC as one script.
-- Run it on a migrated, otherwise empty database.

CREATE TEMP TABLE growth_settings AS
SELECT COALESCE(NULLIF(current_setting('bench.users', true), ''), '10000')::int AS users,
       COALESCE(NULLIF(current_setting('bench.calls', true), ''), '10000000')::bigint AS calls,
       COALESCE(NULLIF(current_setting('bench.set_based', true), ''), 'on')::boolean AS set_based,
       COALESCE(NULLIF(current_setting('bench.now', true), ''), now()::text)::timestamptz AS anchor;

INSERT INTO users (id, email, name, credits)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid, 'bench' || u || '@bench.test', 'Bench ' || u, 1000
  FROM growth_settings, generate_series(1, users) AS u;

INSERT INTO agents (id, user_id, bolna_agent_id, name)
SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(to_hex((a - 1) / 5 + 1), 12, '0'))::uuid, 'bench-agent-' || a, 'Agent ' || a
  FROM growth_settings, generate_series(1, users * 5) AS a;

SET maintenance_work_mem = '1GB';

DO $$
DECLARE
    dropped RECORD;
BEGIN
    IF (SELECT set_based FROM growth_settings) THEN
        -- the row-by-row rollups; the BEFORE trigger deriving rates from counters stays on
        ALTER TABLE calls DISABLE TRIGGER trg_calls_daily_analytics;
        ALTER TABLE calls DISABLE TRIGGER trigger_calls_update_analytics_cache;
        ALTER TABLE lead_analytics DISABLE TRIGGER trg_leads_daily_analytics;
        ALTER TABLE agent_analytics DISABLE TRIGGER trg_user_daily_rollup;
        -- indexes not backing a constraint are built once after the rows are in (far faster than
        -- maintaining 16 of them row by row; they come out compact, as after a REINDEX)
        CREATE TEMP TABLE growth_dropped_indexes AS
        SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
          FROM pg_index i
         WHERE i.indrelid IN ('calls'::regclass, 'lead_analytics'::regclass)
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid);
        FOR dropped IN SELECT name FROM growth_dropped_indexes LOOP
            EXECUTE 'DROP INDEX ' || dropped.name;
        END LOOP;
    END IF;
END $$;

ANALYZE users;
ANALYZE agents;

-- Call c belongs to agent c % agents, so every user gets the same number of calls; 7919 is prime, so
-- consecutive calls land far apart in the 90 days.
INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes,
                   duration_seconds, credits_used, created_at, call_answered_at, lead_type)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex((c % (users * 5)) / 5 + 1), 12, '0'))::uuid,
       ('00000000-0000-4000-9000-' || lpad(to_hex(c % (users * 5) + 1), 12, '0'))::uuid,
       'bench-exec-' || c, '+1415' || lpad((c % 9000000 + 1000000)::text, 7, '0'),
       CASE WHEN c % 5 = 0 THEN 'failed' ELSE 'completed' END,
       CASE WHEN c % 5 = 0 THEN 0 ELSE c % 11 END, CASE WHEN c % 5 = 0 THEN 0 ELSE (c % 11) * 60 END,
       CASE WHEN c % 5 = 0 THEN 0 ELSE c % 11 END,
       anchor - make_interval(secs => (c * 7919) % (90 * 86400)),
       -- completed calls were answered, and one failed call in five was (the rest are missed)
       CASE WHEN c % 5 <> 0 OR c % 25 = 0 THEN anchor - make_interval(secs => (c * 7919) % (90 * 86400) - 5) END,
       CASE WHEN c % 10 = 7 THEN 'inbound' ELSE 'outbound' END
  FROM growth_settings, generate_series(1::bigint, calls) AS c;

ANALYZE calls;

INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score, intent_score,
                            urgency_score, budget_score, fit_score, engagement_score, lead_status_tag,
                            cta_pricing_clicked, cta_demo_clicked, cta_followup_clicked, cta_sample_clicked,
                            cta_escalated_to_human)
SELECT c.id, c.user_id, c.phone_number, 'individual', (c.duration_minutes * 9) % 101,
       (c.duration_minutes * 7) % 101, (c.duration_minutes * 5) % 101, (c.duration_minutes * 3) % 101,
       (c.duration_minutes * 11) % 101, (c.duration_minutes * 13) % 101,
       CASE WHEN c.duration_minutes > 7 THEN 'Hot' WHEN c.duration_minutes > 3 THEN 'Warm' ELSE 'Cold' END,
       c.duration_minutes % 3 = 0, c.duration_minutes % 4 = 0, c.duration_minutes % 5 = 0,
       c.duration_minutes % 6 = 0, c.duration_minutes % 7 = 0
  FROM calls c
 WHERE c.bolna_execution_id LIKE 'bench-exec-%' AND right(c.bolna_execution_id, 1) IN ('0', '1', '2');

ANALYZE lead_analytics;

-- The rollups, each in one statement, as the triggers compute them (V15, V16, V17, V18, V19).
DO $$
DECLARE
    dropped RECORD;
BEGIN
    IF NOT (SELECT set_based FROM growth_settings) THEN
        RETURN;
    END IF;
    FOR dropped IN SELECT definition FROM growth_dropped_indexes LOOP
        EXECUTE dropped.definition;
    END LOOP;
    ANALYZE calls;
    ANALYZE lead_analytics;

    -- trg_calls_daily_analytics (a terminal call counted once on its agent's UTC day) and
    -- refresh_agent_daily_lead_metrics (the day's individual analyses recomputed); the BEFORE trigger
    -- update_analytics_cta_totals derives the rates of each row as it goes in.
    INSERT INTO agent_analytics (agent_id, user_id, date, total_calls, successful_calls, failed_calls,
                                 total_duration_minutes, credits_used, leads_generated, qualified_leads,
                                 cta_pricing_clicks, cta_demo_clicks, cta_followup_clicks, cta_sample_clicks,
                                 cta_human_escalations, leads_with_cta, avg_intent_score, avg_urgency_score,
                                 avg_budget_score, avg_fit_score, avg_engagement_score, avg_total_score)
    SELECT COALESCE(cs.agent_id, ls.agent_id), COALESCE(cs.user_id, ls.user_id), COALESCE(cs.day, ls.day),
           COALESCE(cs.total, 0), COALESCE(cs.completed, 0), COALESCE(cs.failed, 0),
           COALESCE(cs.duration, 0), COALESCE(cs.credits, 0),
           COALESCE(ls.leads, 0), COALESCE(ls.qualified, 0), COALESCE(ls.pricing, 0), COALESCE(ls.demo, 0),
           COALESCE(ls.followup, 0), COALESCE(ls.sample, 0), COALESCE(ls.human, 0), COALESCE(ls.with_cta, 0),
           COALESCE(ls.intent, 0), COALESCE(ls.urgency, 0), COALESCE(ls.budget, 0), COALESCE(ls.fit, 0),
           COALESCE(ls.engagement, 0), COALESCE(ls.total_score, 0)
      FROM (SELECT agent_id, user_id, analytics_day(created_at) AS day, count(*) AS total,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   sum(duration_minutes) AS duration, sum(credits_used) AS credits
              FROM calls WHERE status IN ('completed', 'failed')
             GROUP BY 1, 2, 3) cs
      FULL JOIN
           (SELECT c.agent_id, c.user_id, analytics_day(c.created_at) AS day, count(*) AS leads,
                   count(*) FILTER (WHERE l.total_score >= 70) AS qualified,
                   count(*) FILTER (WHERE l.cta_pricing_clicked) AS pricing,
                   count(*) FILTER (WHERE l.cta_demo_clicked) AS demo,
                   count(*) FILTER (WHERE l.cta_followup_clicked) AS followup,
                   count(*) FILTER (WHERE l.cta_sample_clicked) AS sample,
                   count(*) FILTER (WHERE l.cta_escalated_to_human) AS human,
                   count(*) FILTER (WHERE l.cta_pricing_clicked OR l.cta_demo_clicked OR l.cta_followup_clicked
                                       OR l.cta_sample_clicked OR l.cta_escalated_to_human) AS with_cta,
                   round(avg(l.intent_score), 2) AS intent, round(avg(l.urgency_score), 2) AS urgency,
                   round(avg(l.budget_score), 2) AS budget, round(avg(l.fit_score), 2) AS fit,
                   round(avg(l.engagement_score), 2) AS engagement, round(avg(l.total_score), 2) AS total_score
              FROM calls c
              JOIN lead_analytics l ON l.call_id = c.id AND l.user_id = c.user_id
             WHERE l.analysis_type = 'individual'
             GROUP BY 1, 2, 3) ls
        ON ls.agent_id = cs.agent_id AND ls.user_id = cs.user_id AND ls.day = cs.day;

    -- refresh_user_daily_analytics: the user's day is the sum of its agents' days, score averages
    -- weighted by each agent's leads; the BEFORE trigger derives the rates.
    INSERT INTO user_analytics (user_id, date, hour, total_calls, successful_calls, failed_calls,
                                total_duration_minutes, leads_generated, qualified_leads, cta_pricing_clicks,
                                cta_demo_clicks, cta_followup_clicks, cta_sample_clicks, cta_human_escalations,
                                leads_with_cta, credits_used, avg_engagement_score, avg_intent_score,
                                avg_urgency_score, avg_budget_score, avg_fit_score)
    SELECT user_id, date, NULL, sum(total_calls), sum(successful_calls), sum(failed_calls),
           sum(total_duration_minutes), sum(leads_generated), sum(qualified_leads), sum(cta_pricing_clicks),
           sum(cta_demo_clicks), sum(cta_followup_clicks), sum(cta_sample_clicks), sum(cta_human_escalations),
           sum(leads_with_cta), sum(credits_used),
           COALESCE(round(sum(avg_engagement_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
           COALESCE(round(sum(avg_intent_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
           COALESCE(round(sum(avg_urgency_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
           COALESCE(round(sum(avg_budget_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
           COALESCE(round(sum(avg_fit_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0)
      FROM agent_analytics
     WHERE hour IS NULL
     GROUP BY user_id, date;

    INSERT INTO user_daily_analytics (user_id, date, total_calls, successful_calls, failed_calls,
                                      total_duration_minutes, leads_generated, qualified_leads, credits_used,
                                      avg_engagement_score, avg_intent_score)
    SELECT user_id, date, total_calls, successful_calls, failed_calls, total_duration_minutes, leads_generated,
           qualified_leads, credits_used, avg_engagement_score, avg_intent_score
      FROM user_analytics
     WHERE hour IS NULL;

    -- update_call_analytics_cache: each terminal call added to its user's day, ISO week and month
    -- (the lead columns stay for the nightly calculate_call_analytics, as with the trigger).
    INSERT INTO call_analytics_cache (user_id, date_period, period_type, total_calls, successful_calls,
                                      failed_calls, missed_calls, connection_rate, total_call_duration,
                                      average_call_duration, inbound_calls, outbound_calls)
    SELECT c.user_id, call_analytics_period_start(analytics_day(c.created_at), p.period_type), p.period_type,
           count(*), count(*) FILTER (WHERE c.status = 'completed'), count(*) FILTER (WHERE c.status = 'failed'),
           count(*) FILTER (WHERE c.status = 'failed' AND c.call_answered_at IS NULL),
           percentage(count(*) FILTER (WHERE c.status = 'completed'), count(*)),
           sum(c.duration_minutes), round(sum(c.duration_minutes)::numeric / count(*), 2),
           count(*) FILTER (WHERE c.lead_type = 'inbound'), count(*) FILTER (WHERE c.lead_type = 'outbound')
      FROM calls c
     CROSS JOIN unnest(ARRAY['daily', 'weekly', 'monthly']) AS p(period_type)
     WHERE c.status IN ('completed', 'failed')
     GROUP BY 1, 2, 3;

    ALTER TABLE calls ENABLE TRIGGER trg_calls_daily_analytics;
    ALTER TABLE calls ENABLE TRIGGER trigger_calls_update_analytics_cache;
    ALTER TABLE lead_analytics ENABLE TRIGGER trg_leads_daily_analytics;
    ALTER TABLE agent_analytics ENABLE TRIGGER trg_user_daily_rollup;
END $$;

DROP TABLE growth_settings;
DROP TABLE IF EXISTS growth_dropped_indexes;
RESET maintenance_work_mem;
