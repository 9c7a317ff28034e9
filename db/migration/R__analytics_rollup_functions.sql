-- The analytics rollup functions as they are now (first written in V14, V15, V16, V18 and V19; this
-- file replaces their bodies). Decision 0054: one lock order, deadlocks are not swallowed, the
-- account's day moves by differences, and a repair recomputes the days that failures name.
--
-- Lock order. Every writer of an account's analytics first takes the account's analytics lock
-- (lock_account_analytics, an advisory lock), then the account's day rows (user_analytics, hour NULL,
-- then user_daily_analytics), then agent rows, then call_analytics_cache rows:
--   call ends, at commit: the accounts in order; then missing day rows created (lock_user_analytics_day),
--                       agent rows, day rows, period rows (roll_up_call_ends)
--   a lead analysis:    account -> day rows -> agent row (refresh_agent_daily_lead_metrics) -> day rows
--   a repair:           account -> day rows -> agent rows -> day rows -> period rows
-- Before, a call's end took the agent row first and the day rows in its rollup, a lead analysis the
-- same: a webhook batch ending calls of agents A and B of one account (A, day, then B) and a lead
-- analysis of B (B, then day) waited for each other. The account lock also orders writers of one
-- account on different days, which share the weekly and monthly rows of call_analytics_cache.
--
-- Deadlocks and other transaction-level failures are raised again. Each trigger body still runs in
-- its own BEGIN ... EXCEPTION block, and an ordinary failure is still logged and the write commits;
-- but a deadlock, a serialization failure or a lock timeout only means "try the transaction again",
-- and swallowing it committed the call while its figures were lost for good. Raised, the whole
-- transaction rolls back and its writer retries it (a webhook batch is applied again event by event,
-- a lead analysis's write again at once).

CREATE OR REPLACE FUNCTION log_trigger_error(
    p_trigger_name TEXT,
    p_table_name   TEXT,
    p_operation    TEXT,
    p_message      TEXT,
    p_sqlstate     TEXT,
    p_context      JSONB
) RETURNS void AS $$
BEGIN
    -- class 40: transaction rollback (40001 serialization failure, 40P01 deadlock); 55P03: lock not available
    IF p_sqlstate LIKE '40%' OR p_sqlstate = '55P03' THEN
        RAISE EXCEPTION USING ERRCODE = p_sqlstate, MESSAGE = p_message,
            DETAIL = format('raised again by trigger %s on %s (%s)', p_trigger_name, p_table_name, p_operation);
    END IF;
    INSERT INTO trigger_error_log (trigger_name, table_name, operation, error_message, sqlstate, error_context)
    VALUES (p_trigger_name, p_table_name, p_operation, p_message, p_sqlstate, COALESCE(p_context, '{}'::jsonb));
    RAISE WARNING 'trigger % on % (%) failed: % [%]', p_trigger_name, p_table_name, p_operation, p_message, p_sqlstate;
END;
$$ LANGUAGE plpgsql;

-- The account's analytics lock (a transaction-level advisory lock keyed by the account): the first lock
-- every writer of an account's analytics takes, so that writers of one account never cross, whatever
-- days and period rows they touch (a webhook batch can end calls of two UTC days; the weekly and monthly
-- rows of call_analytics_cache are shared by the days of their period).
CREATE OR REPLACE FUNCTION lock_account_analytics(p_user_id UUID) RETURNS void AS $$
    SELECT pg_advisory_xact_lock(hashtextextended('account_analytics:' || p_user_id::text, 0));
$$ LANGUAGE sql;

-- Locks the account (lock_account_analytics), then its two day rows, user_analytics first. A row
-- that is missing is created and the day re-summed from its agent rows at once, so that a difference
-- added to it afterwards (trg_user_daily_rollup) starts from the agents' figures, not from zero.
CREATE OR REPLACE FUNCTION lock_user_analytics_day(p_user_id UUID, p_day DATE) RETURNS void AS $$
DECLARE
    created BOOLEAN := false;
BEGIN
    PERFORM lock_account_analytics(p_user_id);
    PERFORM 1 FROM user_analytics WHERE user_id = p_user_id AND date = p_day AND hour IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO user_analytics (user_id, date, hour) VALUES (p_user_id, p_day, NULL)
        ON CONFLICT (user_id, date, hour) DO NOTHING;
        PERFORM 1 FROM user_analytics WHERE user_id = p_user_id AND date = p_day AND hour IS NULL FOR UPDATE;
        created := true;
    END IF;
    PERFORM 1 FROM user_daily_analytics WHERE user_id = p_user_id AND date = p_day FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO user_daily_analytics (user_id, date) VALUES (p_user_id, p_day)
        ON CONFLICT (user_id, date) DO NOTHING;
        PERFORM 1 FROM user_daily_analytics WHERE user_id = p_user_id AND date = p_day FOR UPDATE;
        created := true;
    END IF;
    IF created THEN
        PERFORM resum_user_daily_analytics(p_user_id, p_day);
    END IF;
END;
$$ LANGUAGE plpgsql;

-- The account's day re-summed from all its agent rows (V18's refresh), for a caller that holds the
-- day rows' locks (so the sums read see every writer that held them before).
CREATE OR REPLACE FUNCTION resum_user_daily_analytics(p_user_id UUID, p_day DATE) RETURNS void AS $$
BEGIN
    UPDATE user_analytics ua SET
        (total_calls, successful_calls, failed_calls, total_duration_minutes, leads_generated,
         qualified_leads, cta_pricing_clicks, cta_demo_clicks, cta_followup_clicks, cta_sample_clicks,
         cta_human_escalations, leads_with_cta, credits_used, avg_engagement_score, avg_intent_score,
         avg_urgency_score, avg_budget_score, avg_fit_score) =
        (SELECT COALESCE(sum(total_calls), 0), COALESCE(sum(successful_calls), 0),
                COALESCE(sum(failed_calls), 0), COALESCE(sum(total_duration_minutes), 0),
                COALESCE(sum(leads_generated), 0), COALESCE(sum(qualified_leads), 0),
                COALESCE(sum(cta_pricing_clicks), 0), COALESCE(sum(cta_demo_clicks), 0),
                COALESCE(sum(cta_followup_clicks), 0), COALESCE(sum(cta_sample_clicks), 0),
                COALESCE(sum(cta_human_escalations), 0), COALESCE(sum(leads_with_cta), 0),
                COALESCE(sum(credits_used), 0),
                COALESCE(round(sum(avg_engagement_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
                COALESCE(round(sum(avg_intent_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
                COALESCE(round(sum(avg_urgency_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
                COALESCE(round(sum(avg_budget_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0),
                COALESCE(round(sum(avg_fit_score * leads_generated) / NULLIF(sum(leads_generated), 0), 2), 0)
           FROM agent_analytics
          WHERE user_id = p_user_id AND date = p_day AND hour IS NULL)
     WHERE ua.user_id = p_user_id AND ua.date = p_day AND ua.hour IS NULL;

    -- user_analytics now holds the day's sums: copy the figures user_daily_analytics keeps
    UPDATE user_daily_analytics uda SET
        total_calls = ua.total_calls, successful_calls = ua.successful_calls, failed_calls = ua.failed_calls,
        total_duration_minutes = ua.total_duration_minutes, leads_generated = ua.leads_generated,
        qualified_leads = ua.qualified_leads, credits_used = ua.credits_used,
        avg_engagement_score = ua.avg_engagement_score, avg_intent_score = ua.avg_intent_score
      FROM user_analytics ua
     WHERE ua.user_id = p_user_id AND ua.date = p_day AND ua.hour IS NULL
       AND uda.user_id = p_user_id AND uda.date = p_day;
END;
$$ LANGUAGE plpgsql;

-- The account's day, locked and re-summed: what a lead analysis, an agent's first row of the day or a
-- repair by hand runs.
CREATE OR REPLACE FUNCTION refresh_user_daily_analytics(p_user_id UUID, p_day DATE) RETURNS void AS $$
BEGIN
    PERFORM lock_user_analytics_day(p_user_id, p_day);
    PERFORM resum_user_daily_analytics(p_user_id, p_day);
END;
$$ LANGUAGE plpgsql;

-- trg_user_daily_rollup (AFTER INSERT OR UPDATE on agent_analytics, daily rows): when an update moves
-- only the agent day's call figures (a call has ended: the lead, CTA and score figures, the account and
-- the day are as they were), the account's day moves by the same difference, two UPDATEs, instead of
-- being re-summed from every agent row of the day (0.27 ms per call end against 0.61 over the campaign
-- dispatch benchmark). An agent's first row of the day (INSERT) and lead figures (weighted averages are
-- not differences) re-sum, and so does a day whose account rows are missing (an agent row written
-- without lock_user_analytics_day). Exact under concurrency because the writers lock the day rows
-- before the agent row (lock_user_analytics_day), so the difference is added under the lock that
-- every re-sum takes first; and a day row that lock_user_analytics_day had to create was re-summed
-- at once, so the difference starts from the agents' figures.
CREATE OR REPLACE FUNCTION trg_user_daily_rollup() RETURNS TRIGGER AS $$
DECLARE
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    IF current_setting('analytics.days_moved_by_call_ends', true) = 'on' THEN
        -- roll_up_call_ends moves the accounts' days itself, in one statement per table
        RETURN NULL;
    END IF;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
        IF TG_OP = 'UPDATE'
           AND (NEW.user_id, NEW.date, NEW.leads_generated, NEW.qualified_leads, NEW.cta_pricing_clicks,
                NEW.cta_demo_clicks, NEW.cta_followup_clicks, NEW.cta_sample_clicks, NEW.cta_human_escalations,
                NEW.leads_with_cta, NEW.avg_engagement_score, NEW.avg_intent_score, NEW.avg_urgency_score,
                NEW.avg_budget_score, NEW.avg_fit_score)
               IS NOT DISTINCT FROM
               (OLD.user_id, OLD.date, OLD.leads_generated, OLD.qualified_leads, OLD.cta_pricing_clicks,
                OLD.cta_demo_clicks, OLD.cta_followup_clicks, OLD.cta_sample_clicks, OLD.cta_human_escalations,
                OLD.leads_with_cta, OLD.avg_engagement_score, OLD.avg_intent_score, OLD.avg_urgency_score,
                OLD.avg_budget_score, OLD.avg_fit_score)
           AND OLD.hour IS NULL THEN
            UPDATE user_analytics SET
                total_calls            = total_calls + (NEW.total_calls - OLD.total_calls),
                successful_calls       = successful_calls + (NEW.successful_calls - OLD.successful_calls),
                failed_calls           = failed_calls + (NEW.failed_calls - OLD.failed_calls),
                total_duration_minutes = total_duration_minutes
                                         + (NEW.total_duration_minutes - OLD.total_duration_minutes),
                credits_used           = credits_used + (NEW.credits_used - OLD.credits_used)
             WHERE user_id = NEW.user_id AND date = NEW.date AND hour IS NULL;
            IF FOUND THEN
                UPDATE user_daily_analytics SET
                    total_calls            = total_calls + (NEW.total_calls - OLD.total_calls),
                    successful_calls       = successful_calls + (NEW.successful_calls - OLD.successful_calls),
                    failed_calls           = failed_calls + (NEW.failed_calls - OLD.failed_calls),
                    total_duration_minutes = total_duration_minutes
                                             + (NEW.total_duration_minutes - OLD.total_duration_minutes),
                    credits_used           = credits_used + (NEW.credits_used - OLD.credits_used)
                 WHERE user_id = NEW.user_id AND date = NEW.date;
                IF FOUND THEN
                    RETURN NULL;
                END IF;
            END IF;
        END IF;
        -- the re-sum sets absolute figures: a difference applied to one of the two rows above is replaced
        PERFORM refresh_user_daily_analytics(NEW.user_id, NEW.date);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_trigger_error(TG_NAME, TG_TABLE_NAME, TG_OP, err_message, err_state,
            jsonb_build_object('agent_analytics_id', NEW.id, 'user_id', NEW.user_id, 'date', NEW.date,
                               'context', err_context));
    END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Call ends are rolled up once per transaction, at its commit (decision 0057; V77). A call is counted
-- in its agent's day, its account's day and the three period rows of call_analytics_cache once, when it
-- becomes terminal (V15, V19). Before, each call's end did that work at its own UPDATE, in two row
-- triggers with a subtransaction each: about nine statements per call, and the account's analytics
-- locks held from the first call of a webhook batch to its commit. Now:
--   trg_calls_daily_analytics (AFTER INSERT OR UPDATE OF status, each row that ends) only queues the
--     call in the transaction's list analytics.ended_calls (a transaction-local setting, so a
--     rolled-back savepoint takes its entries with it);
--   trigger_calls_update_analytics_cache (a constraint trigger, DEFERRABLE INITIALLY DEFERRED) fires at
--     commit; its first firing takes the list and rolls every queued call up with one statement per
--     table (roll_up_call_ends), the others find the list empty.
-- The figures are read from the calls as they are at commit. A transaction that ends more than about a
-- thousand calls (a bulk update) rolls the rest up as each ends, so the list stays small.

-- Queues a call that has become terminal for the commit-time rollup.
CREATE OR REPLACE FUNCTION trg_calls_daily_analytics() RETURNS TRIGGER AS $$
DECLARE
    queued TEXT;
BEGIN
    IF NOT call_became_terminal(TG_OP, CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, NEW.status) THEN
        RETURN NULL;
    END IF;
    queued := COALESCE(current_setting('analytics.ended_calls', true), '');
    IF octet_length(queued) < 40000 THEN
        PERFORM set_config('analytics.ended_calls', queued || left(TG_OP, 1) || NEW.id::text || ',', true);
    ELSIF strpos(queued, NEW.id::text) = 0 THEN
        -- (a call in the list that ends again is counted at the commit, once)
        PERFORM roll_up_call_ends(ARRAY[NEW.id], ARRAY[TG_OP]);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- At commit: rolls up the calls the transaction queued (the first firing takes them all).
CREATE OR REPLACE FUNCTION update_call_analytics_cache() RETURNS TRIGGER AS $$
DECLARE
    queued TEXT := current_setting('analytics.ended_calls', true);
    ended UUID[];
    operations TEXT[];
BEGIN
    IF queued IS NULL OR queued = '' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('analytics.ended_calls', '', true);
    SELECT array_agg(q.id ORDER BY q.id), array_agg(q.operation ORDER BY q.id) INTO ended, operations
      FROM (SELECT DISTINCT ON (substr(e, 2)) substr(e, 2)::uuid AS id,
                   CASE left(e, 1) WHEN 'I' THEN 'INSERT' ELSE 'UPDATE' END AS operation
              FROM unnest(string_to_array(queued, ',')) AS e
             WHERE e <> ''
             ORDER BY substr(e, 2), left(e, 1)) q;
    PERFORM roll_up_call_ends(ended, operations);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Each call's failure of one part of the rollup, logged as the row trigger that did that part before
-- (so get_cache_trigger_health and analytics_days_to_repair name it as they did); raised again for
-- class-40 and 55P03 errors (log_trigger_error), which roll the whole transaction back.
CREATE OR REPLACE FUNCTION log_call_end_analytics_failure(p_part TEXT, p_calls UUID[], p_operations TEXT[],
        p_message TEXT, p_sqlstate TEXT, p_context TEXT) RETURNS void AS $$
DECLARE
    failed RECORD;
BEGIN
    FOR failed IN SELECT c.id, c.agent_id, c.user_id, c.status, o.operation
                    FROM unnest(p_calls, p_operations) AS o(id, operation)
                    JOIN calls c ON c.id = o.id
                   ORDER BY c.id LOOP
        PERFORM log_trigger_error(p_part, 'calls', failed.operation, p_message, p_sqlstate,
            jsonb_build_object('call_id', failed.id, 'agent_id', failed.agent_id, 'user_id', failed.user_id,
                               'status', failed.status, 'context', p_context));
    END LOOP;
END;
$$ LANGUAGE plpgsql;

-- Rolls up calls that have ended: their agents' days and their accounts' days, then the three period
-- rows of call_analytics_cache, each part in a block of its own (an ordinary failure of one is logged per
-- call and the other still counts the calls; the accounts' days have a block of their own inside the
-- first, logged as trg_user_daily_rollup). The accounts' analytics locks first, in account order, as
-- every writer takes its account's lock first; then missing day rows, agent rows, day rows, period rows.
CREATE OR REPLACE FUNCTION roll_up_call_ends(p_calls UUID[], p_operations TEXT[]) RETURNS void AS $$
DECLARE
    ended calls[];
    account_day RECORD;
    account UUID;
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    -- the calls read once, by primary key, their status filtered after: a condition on status in the
    -- WHERE clause let the planner scan every completed call through idx_calls_status (its generic plan,
    -- made while few calls had ended)
    SELECT array_agg(c ORDER BY c.id) FILTER (WHERE c.status IN ('completed', 'failed')) INTO ended
      FROM calls c
     WHERE c.id = ANY(p_calls);
    IF ended IS NULL THEN
        RETURN;
    END IF;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated('trg_calls_daily_analytics');
        FOR account IN SELECT DISTINCT c.user_id FROM unnest(ended) AS c ORDER BY 1 LOOP
            PERFORM lock_account_analytics(account);
        END LOOP;
        -- a day row that is missing is created and re-summed from the agents (lock_user_analytics_day)
        -- before the calls' figures are added to it; each (account, day) looked up by its key (one query
        -- with NOT EXISTS ... OR NOT EXISTS read both day tables whole while they held some thousand rows)
        FOR account_day IN SELECT DISTINCT c.user_id, analytics_day(c.created_at) AS day
                             FROM unnest(ended) AS c
                            ORDER BY 1, 2 LOOP
            IF NOT EXISTS (SELECT 1 FROM user_analytics
                            WHERE user_id = account_day.user_id AND date = account_day.day AND hour IS NULL)
               OR NOT EXISTS (SELECT 1 FROM user_daily_analytics
                               WHERE user_id = account_day.user_id AND date = account_day.day) THEN
                PERFORM lock_user_analytics_day(account_day.user_id, account_day.day);
            END IF;
        END LOOP;
        -- An agent's first row of the day is created empty first (its INSERT re-sums the account's day,
        -- which the figures below then move): trg_user_daily_rollup fires after a whole statement, so an
        -- INSERT's re-sum in the statement that also moves other agents' rows would count those twice.
        INSERT INTO agent_analytics (agent_id, user_id, date)
        SELECT DISTINCT c.agent_id, c.user_id, analytics_day(c.created_at)
          FROM unnest(ended) AS c
        ON CONFLICT (agent_id, user_id, date) DO NOTHING;
        -- the agents' rows move by the calls' figures; the accounts' days move by the same sums below, in
        -- one statement per table, instead of two UPDATEs per agent row in trg_user_daily_rollup
        PERFORM set_config('analytics.days_moved_by_call_ends', 'on', true);
        UPDATE agent_analytics aa SET
            total_calls            = aa.total_calls + v.total,
            successful_calls       = aa.successful_calls + v.completed,
            failed_calls           = aa.failed_calls + v.failed,
            total_duration_minutes = aa.total_duration_minutes + v.duration,
            credits_used           = aa.credits_used + v.credits
          FROM (SELECT c.agent_id, c.user_id, analytics_day(c.created_at) AS day, count(*) AS total,
                       count(*) FILTER (WHERE c.status = 'completed') AS completed,
                       count(*) FILTER (WHERE c.status = 'failed') AS failed,
                       sum(c.duration_minutes) AS duration, sum(c.credits_used) AS credits
                  FROM unnest(ended) AS c
                 GROUP BY c.agent_id, c.user_id, analytics_day(c.created_at)) v
         WHERE aa.agent_id = v.agent_id AND aa.user_id = v.user_id AND aa.date = v.day;
        PERFORM set_config('analytics.days_moved_by_call_ends', '', true);
        BEGIN
            PERFORM raise_if_trigger_failure_simulated('trg_user_daily_rollup');
            WITH days AS (
                SELECT c.user_id, analytics_day(c.created_at) AS day, count(*) AS total,
                       count(*) FILTER (WHERE c.status = 'completed') AS completed,
                       count(*) FILTER (WHERE c.status = 'failed') AS failed,
                       sum(c.duration_minutes) AS duration, sum(c.credits_used) AS credits
                  FROM unnest(ended) AS c
                 GROUP BY c.user_id, analytics_day(c.created_at)),
            account_days AS (
                UPDATE user_analytics ua SET
                    total_calls            = ua.total_calls + d.total,
                    successful_calls       = ua.successful_calls + d.completed,
                    failed_calls           = ua.failed_calls + d.failed,
                    total_duration_minutes = ua.total_duration_minutes + d.duration,
                    credits_used           = ua.credits_used + d.credits
                  FROM days d
                 WHERE ua.user_id = d.user_id AND ua.date = d.day AND ua.hour IS NULL)
            UPDATE user_daily_analytics uda SET
                total_calls            = uda.total_calls + d.total,
                successful_calls       = uda.successful_calls + d.completed,
                failed_calls           = uda.failed_calls + d.failed,
                total_duration_minutes = uda.total_duration_minutes + d.duration,
                credits_used           = uda.credits_used + d.credits
              FROM days d
             WHERE uda.user_id = d.user_id AND uda.date = d.day;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                    err_context = PG_EXCEPTION_CONTEXT;
            FOR account_day IN SELECT DISTINCT c.user_id, analytics_day(c.created_at) AS day
                                 FROM unnest(ended) AS c ORDER BY 1, 2 LOOP
                PERFORM log_trigger_error('trg_user_daily_rollup', 'agent_analytics', 'UPDATE', err_message, err_state,
                    jsonb_build_object('user_id', account_day.user_id, 'date', account_day.day, 'context', err_context));
            END LOOP;
        END;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_call_end_analytics_failure('trg_calls_daily_analytics', p_calls, p_operations,
            err_message, err_state, err_context);
    END;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated('trigger_calls_update_analytics_cache');
        -- held already unless the part above failed (its locks went with its block)
        FOR account IN SELECT DISTINCT c.user_id FROM unnest(ended) AS c ORDER BY 1 LOOP
            PERFORM lock_account_analytics(account);
        END LOOP;
        INSERT INTO call_analytics_cache AS cac (
            user_id, date_period, period_type, total_calls, successful_calls, failed_calls, missed_calls,
            connection_rate, total_call_duration, average_call_duration, inbound_calls, outbound_calls)
        SELECT c.user_id, call_analytics_period_start(analytics_day(c.created_at), p.period_type), p.period_type,
               count(*), count(*) FILTER (WHERE c.status = 'completed'), count(*) FILTER (WHERE c.status = 'failed'),
               count(*) FILTER (WHERE c.status = 'failed' AND c.call_answered_at IS NULL),
               percentage(count(*) FILTER (WHERE c.status = 'completed'), count(*)),
               sum(c.duration_minutes), round(sum(c.duration_minutes)::numeric / count(*), 2),
               count(*) FILTER (WHERE c.lead_type = 'inbound'), count(*) FILTER (WHERE c.lead_type = 'outbound')
          FROM unnest(ended) AS c
         CROSS JOIN unnest(ARRAY['daily', 'weekly', 'monthly']) AS p(period_type)
         GROUP BY c.user_id, call_analytics_period_start(analytics_day(c.created_at), p.period_type), p.period_type
         ORDER BY 1, 2, 3
        ON CONFLICT (user_id, date_period, period_type) DO UPDATE SET
            total_calls           = cac.total_calls + EXCLUDED.total_calls,
            successful_calls      = cac.successful_calls + EXCLUDED.successful_calls,
            failed_calls          = cac.failed_calls + EXCLUDED.failed_calls,
            missed_calls          = cac.missed_calls + EXCLUDED.missed_calls,
            connection_rate       = percentage(cac.successful_calls + EXCLUDED.successful_calls,
                                               cac.total_calls + EXCLUDED.total_calls),
            total_call_duration   = cac.total_call_duration + EXCLUDED.total_call_duration,
            average_call_duration = round((cac.total_call_duration + EXCLUDED.total_call_duration)::numeric
                                          / (cac.total_calls + EXCLUDED.total_calls), 2),
            inbound_calls         = cac.inbound_calls + EXCLUDED.inbound_calls,
            outbound_calls        = cac.outbound_calls + EXCLUDED.outbound_calls,
            calculated_at         = CURRENT_TIMESTAMP;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_call_end_analytics_failure('trigger_calls_update_analytics_cache', p_calls, p_operations,
            err_message, err_state, err_context);
    END;
END;
$$ LANGUAGE plpgsql
-- A transaction's calls are few, the rows they move are found by key: nested loops over the tables'
-- unique indexes. Left to its costs, the planner hashed whole day tables of some thousand rows to move a
-- few of them, even with the batch's size known.
SET enable_hashjoin = off SET enable_mergejoin = off;

-- A day's lead figures of one agent recomputed from its individual analyses (V16); the account's day
-- rows are locked before the agent row.
CREATE OR REPLACE FUNCTION refresh_agent_daily_lead_metrics(p_agent_id UUID, p_user_id UUID, p_day DATE) RETURNS void AS $$
DECLARE
    day_start TIMESTAMPTZ := p_day::timestamp AT TIME ZONE 'UTC';
BEGIN
    PERFORM lock_user_analytics_day(p_user_id, p_day);
    INSERT INTO agent_analytics (agent_id, user_id, date) VALUES (p_agent_id, p_user_id, p_day)
    ON CONFLICT (agent_id, user_id, date) DO NOTHING;
    PERFORM 1 FROM agent_analytics
     WHERE agent_id = p_agent_id AND user_id = p_user_id AND date = p_day
       FOR UPDATE;

    UPDATE agent_analytics aa SET
        (leads_generated, qualified_leads, cta_pricing_clicks, cta_demo_clicks, cta_followup_clicks,
         cta_sample_clicks, cta_human_escalations, leads_with_cta, avg_intent_score, avg_urgency_score,
         avg_budget_score, avg_fit_score, avg_engagement_score, avg_total_score) =
        (SELECT count(*),
                count(*) FILTER (WHERE l.total_score >= 70),
                count(*) FILTER (WHERE l.cta_pricing_clicked),
                count(*) FILTER (WHERE l.cta_demo_clicked),
                count(*) FILTER (WHERE l.cta_followup_clicked),
                count(*) FILTER (WHERE l.cta_sample_clicked),
                count(*) FILTER (WHERE l.cta_escalated_to_human),
                count(*) FILTER (WHERE l.cta_pricing_clicked OR l.cta_demo_clicked OR l.cta_followup_clicked
                                    OR l.cta_sample_clicked OR l.cta_escalated_to_human),
                COALESCE(round(avg(l.intent_score), 2), 0),
                COALESCE(round(avg(l.urgency_score), 2), 0),
                COALESCE(round(avg(l.budget_score), 2), 0),
                COALESCE(round(avg(l.fit_score), 2), 0),
                COALESCE(round(avg(l.engagement_score), 2), 0),
                COALESCE(round(avg(l.total_score), 2), 0)
           FROM calls c
           JOIN lead_analytics l ON l.call_id = c.id AND l.user_id = c.user_id
          WHERE c.agent_id = p_agent_id
            AND c.user_id = p_user_id
            AND c.created_at >= day_start
            AND c.created_at < day_start + INTERVAL '1 day'
            AND l.analysis_type = 'individual')
     WHERE aa.agent_id = p_agent_id AND aa.user_id = p_user_id AND aa.date = p_day;
END;
$$ LANGUAGE plpgsql;

-- call_analytics_cache (V19): a recomputation of one period row locks the row before it reads the
-- source rows (a call's end adds to its period rows in roll_up_call_ends above).
CREATE OR REPLACE FUNCTION calculate_call_analytics(p_user_id UUID, p_day DATE, p_period_type TEXT) RETURNS void AS $$
DECLARE
    period_start DATE := call_analytics_period_start(p_day, p_period_type);
    range_start TIMESTAMPTZ := period_start::timestamp AT TIME ZONE 'UTC';
    range_end TIMESTAMPTZ := call_analytics_period_end(period_start, p_period_type)::timestamp AT TIME ZONE 'UTC';
BEGIN
    -- the row locked before the figures are read: a call end's increment committed earlier is in them,
    -- a later one waits and adds to them (read first, a concurrent increment was overwritten)
    INSERT INTO call_analytics_cache (user_id, date_period, period_type) VALUES (p_user_id, period_start, p_period_type)
    ON CONFLICT (user_id, date_period, period_type) DO NOTHING;
    PERFORM 1 FROM call_analytics_cache
     WHERE user_id = p_user_id AND date_period = period_start AND period_type = p_period_type FOR UPDATE;
    INSERT INTO call_analytics_cache AS cac (
        user_id, date_period, period_type, total_calls, successful_calls, failed_calls, missed_calls,
        connection_rate, total_call_duration, average_call_duration, inbound_calls, outbound_calls,
        hot_leads, warm_leads, cold_leads, unqualified_leads, total_leads, average_lead_score,
        conversion_rate, pricing_clicks, demo_requests, followup_requests, sample_requests,
        human_escalations, high_intent_leads, high_budget_leads, urgent_leads, calculated_at)
    SELECT p_user_id, period_start, p_period_type,
           cs.total, cs.completed, cs.failed, cs.missed, percentage(cs.completed, cs.total),
           cs.duration, CASE WHEN cs.total > 0 THEN round(cs.duration::numeric / cs.total, 2) ELSE 0 END,
           cs.inbound, cs.outbound,
           ls.hot, ls.warm, ls.cold, ls.unqualified, ls.total, ls.avg_score,
           percentage(ls.hot + ls.warm, ls.total),
           ls.pricing, ls.demo, ls.followup, ls.sample, ls.human, ls.high_intent, ls.high_budget, ls.urgent,
           CURRENT_TIMESTAMP
      FROM (SELECT count(*) AS total,
                   count(*) FILTER (WHERE status = 'completed') AS completed,
                   count(*) FILTER (WHERE status = 'failed') AS failed,
                   count(*) FILTER (WHERE status = 'failed' AND call_answered_at IS NULL) AS missed,
                   COALESCE(sum(duration_minutes), 0) AS duration,
                   count(*) FILTER (WHERE lead_type = 'inbound') AS inbound,
                   count(*) FILTER (WHERE lead_type = 'outbound') AS outbound
              FROM calls
             WHERE user_id = p_user_id AND status IN ('completed', 'failed')
               AND created_at >= range_start AND created_at < range_end) cs,
           (SELECT count(*) AS total,
                   count(*) FILTER (WHERE l.total_score >= 80) AS hot,
                   count(*) FILTER (WHERE l.total_score >= 60 AND l.total_score < 80) AS warm,
                   count(*) FILTER (WHERE l.total_score >= 40 AND l.total_score < 60) AS cold,
                   count(*) FILTER (WHERE l.total_score < 40) AS unqualified,
                   COALESCE(round(avg(l.total_score), 2), 0) AS avg_score,
                   count(*) FILTER (WHERE l.cta_pricing_clicked) AS pricing,
                   count(*) FILTER (WHERE l.cta_demo_clicked) AS demo,
                   count(*) FILTER (WHERE l.cta_followup_clicked) AS followup,
                   count(*) FILTER (WHERE l.cta_sample_clicked) AS sample,
                   count(*) FILTER (WHERE l.cta_escalated_to_human) AS human,
                   count(*) FILTER (WHERE l.intent_score >= 70) AS high_intent,
                   count(*) FILTER (WHERE l.budget_score >= 70) AS high_budget,
                   count(*) FILTER (WHERE l.urgency_score >= 70) AS urgent
              FROM calls c
              JOIN lead_analytics l ON l.call_id = c.id AND l.user_id = c.user_id
             WHERE c.user_id = p_user_id AND l.analysis_type = 'individual'
               AND c.created_at >= range_start AND c.created_at < range_end) ls
    ON CONFLICT (user_id, date_period, period_type) DO UPDATE SET
        total_calls = EXCLUDED.total_calls, successful_calls = EXCLUDED.successful_calls,
        failed_calls = EXCLUDED.failed_calls, missed_calls = EXCLUDED.missed_calls,
        connection_rate = EXCLUDED.connection_rate, total_call_duration = EXCLUDED.total_call_duration,
        average_call_duration = EXCLUDED.average_call_duration, inbound_calls = EXCLUDED.inbound_calls,
        outbound_calls = EXCLUDED.outbound_calls, hot_leads = EXCLUDED.hot_leads,
        warm_leads = EXCLUDED.warm_leads, cold_leads = EXCLUDED.cold_leads,
        unqualified_leads = EXCLUDED.unqualified_leads, total_leads = EXCLUDED.total_leads,
        average_lead_score = EXCLUDED.average_lead_score, conversion_rate = EXCLUDED.conversion_rate,
        pricing_clicks = EXCLUDED.pricing_clicks, demo_requests = EXCLUDED.demo_requests,
        followup_requests = EXCLUDED.followup_requests, sample_requests = EXCLUDED.sample_requests,
        human_escalations = EXCLUDED.human_escalations, high_intent_leads = EXCLUDED.high_intent_leads,
        high_budget_leads = EXCLUDED.high_budget_leads, urgent_leads = EXCLUDED.urgent_leads,
        calculated_at = EXCLUDED.calculated_at;
END;
$$ LANGUAGE plpgsql;

-- One account's three period rows containing p_day recomputed, under the account's analytics lock and
-- in the order call ends take them (daily, weekly, monthly). The nightly job (MaintenanceJobs,
-- batch_calculate_call_analytics) runs it for each account in a transaction of its own: V19's
-- batch_calculate_call_analytics recomputes every account in one transaction, holding each account's
-- rows until the last is done and crossing live call ends of several accounts (kept for use by hand).
CREATE OR REPLACE FUNCTION recalculate_call_analytics(p_user_id UUID, p_day DATE) RETURNS void AS $$
DECLARE
    period TEXT;
BEGIN
    PERFORM lock_account_analytics(p_user_id);
    FOREACH period IN ARRAY ARRAY['daily', 'weekly', 'monthly'] LOOP
        PERFORM calculate_call_analytics(p_user_id, p_day, period);
    END LOOP;
END;
$$ LANGUAGE plpgsql;

-- The accounts with calls in the week or the month containing p_day (those whose period rows the
-- nightly recomputation writes), in account order.
CREATE OR REPLACE FUNCTION call_analytics_accounts(p_day DATE) RETURNS SETOF UUID AS $$
    SELECT DISTINCT c.user_id
      FROM calls c
     WHERE c.created_at >= LEAST(date_trunc('month', p_day), date_trunc('week', p_day))::timestamp AT TIME ZONE 'UTC'
       AND c.created_at < GREATEST(date_trunc('month', p_day) + INTERVAL '1 month',
                                   date_trunc('week', p_day) + INTERVAL '7 days')::timestamp AT TIME ZONE 'UTC'
     ORDER BY 1;
$$ LANGUAGE sql STABLE;

-- Repair. An ordinary trigger failure is logged and its write commits (decision 0002), leaving the
-- day's figures short: a call missing from its agent's row, an analysis from the lead figures, a
-- difference from the account's day. repair_analytics_day recomputes one account's day from the
-- source rows: every agent row's call figures from the day's terminal calls, its lead figures from
-- the individual analyses, the account's day from the agent rows, and the call analytics cache's
-- three periods. It takes the day rows' locks first, like every writer, so a call ending meanwhile
-- is counted exactly once: before the repair reads the calls, or after it, on top of its figures.
CREATE OR REPLACE FUNCTION repair_analytics_day(p_user_id UUID, p_day DATE) RETURNS void AS $$
DECLARE
    day_start TIMESTAMPTZ := p_day::timestamp AT TIME ZONE 'UTC';
    agent_row RECORD;
BEGIN
    PERFORM lock_user_analytics_day(p_user_id, p_day);

    INSERT INTO agent_analytics AS aa (
        agent_id, user_id, date, total_calls, successful_calls, failed_calls, total_duration_minutes, credits_used)
    SELECT c.agent_id, c.user_id, p_day, count(*),
           count(*) FILTER (WHERE c.status = 'completed'), count(*) FILTER (WHERE c.status = 'failed'),
           COALESCE(sum(c.duration_minutes), 0), COALESCE(sum(c.credits_used), 0)
      FROM calls c
     WHERE c.user_id = p_user_id
       AND c.created_at >= day_start AND c.created_at < day_start + INTERVAL '1 day'
       AND c.status IN ('completed', 'failed')
     GROUP BY c.agent_id, c.user_id
     ORDER BY c.agent_id
    ON CONFLICT (agent_id, user_id, date) DO UPDATE SET
        total_calls = EXCLUDED.total_calls, successful_calls = EXCLUDED.successful_calls,
        failed_calls = EXCLUDED.failed_calls, total_duration_minutes = EXCLUDED.total_duration_minutes,
        credits_used = EXCLUDED.credits_used
     WHERE (aa.total_calls, aa.successful_calls, aa.failed_calls, aa.total_duration_minutes, aa.credits_used)
           IS DISTINCT FROM (EXCLUDED.total_calls, EXCLUDED.successful_calls, EXCLUDED.failed_calls,
                             EXCLUDED.total_duration_minutes, EXCLUDED.credits_used);

    -- agent rows of the day whose calls are all gone (an agent row counts what calls still hold)
    UPDATE agent_analytics aa SET total_calls = 0, successful_calls = 0, failed_calls = 0,
                                  total_duration_minutes = 0, credits_used = 0
     WHERE aa.user_id = p_user_id AND aa.date = p_day AND aa.hour IS NULL AND aa.total_calls <> 0
       AND NOT EXISTS (SELECT 1 FROM calls c
                        WHERE c.agent_id = aa.agent_id AND c.user_id = p_user_id
                          AND c.created_at >= day_start AND c.created_at < day_start + INTERVAL '1 day'
                          AND c.status IN ('completed', 'failed'));

    -- every agent with a row of the day or an analysed call of the day (a cancelled call's analysis
    -- counts as a lead, and its agent may have no row yet)
    FOR agent_row IN SELECT agent_id FROM agent_analytics
                      WHERE user_id = p_user_id AND date = p_day AND hour IS NULL
                     UNION
                     SELECT c.agent_id FROM calls c
                       JOIN lead_analytics l ON l.call_id = c.id AND l.user_id = c.user_id
                      WHERE c.user_id = p_user_id AND l.analysis_type = 'individual'
                        AND c.created_at >= day_start AND c.created_at < day_start + INTERVAL '1 day'
                     ORDER BY 1 LOOP
        PERFORM refresh_agent_daily_lead_metrics(agent_row.agent_id, p_user_id, p_day);
    END LOOP;
    PERFORM resum_user_daily_analytics(p_user_id, p_day);
    PERFORM recalculate_call_analytics(p_user_id, p_day);
END;
$$ LANGUAGE plpgsql;

-- The account days that analytics trigger failures logged since p_since name, in account and day
-- order. The maintenance job repair_analytics_days repairs each in a transaction of its own (one
-- account's locks at a time) and reads from where its last successful run started.
CREATE OR REPLACE FUNCTION analytics_days_to_repair(p_since TIMESTAMPTZ)
RETURNS TABLE (user_id UUID, day DATE) AS $$
    SELECT DISTINCT (e.error_context ->> 'user_id')::uuid,
           COALESCE((e.error_context ->> 'date')::date, analytics_day(c.created_at))
      FROM trigger_error_log e
      LEFT JOIN calls c ON c.id = (e.error_context ->> 'call_id')::uuid
                       AND c.user_id = (e.error_context ->> 'user_id')::uuid
     WHERE e.occurred_at >= p_since
       AND e.trigger_name IN ('trg_calls_daily_analytics', 'trigger_calls_update_analytics_cache',
                              'trg_leads_daily_analytics', 'trigger_handle_lead_analytics_cta_update',
                              'trg_user_daily_rollup', 'trigger_update_agent_analytics_cta_totals',
                              'trigger_update_user_analytics_cta_totals')
       AND e.error_context ? 'user_id'
       AND COALESCE((e.error_context ->> 'date')::date, analytics_day(c.created_at)) IS NOT NULL
     ORDER BY 1, 2;
$$ LANGUAGE sql STABLE;
