-- call_analytics_cache holds per-user call figures for the day, the ISO week (keyed by its Monday)
-- and the month (keyed by its first day) of each call's UTC created_at.
-- trigger_calls_update_analytics_cache adds a call's figures to its three period rows when the call
-- becomes terminal (same rule as trg_calls_daily_analytics: counted once). The lead figures of the
-- cache (hot/warm/cold, CTA, intent) and any repair come from calculate_call_analytics, which
-- recomputes one period row from calls and lead_analytics; batch_calculate_call_analytics(date)
-- runs it for every user with calls in the periods containing that date (the nightly job).
-- Missed calls are failed calls that were never answered.

CREATE FUNCTION call_analytics_period_start(p_day DATE, p_period_type TEXT) RETURNS DATE AS $$
    SELECT CASE p_period_type
               WHEN 'daily' THEN p_day
               WHEN 'weekly' THEN date_trunc('week', p_day)::date
               WHEN 'monthly' THEN date_trunc('month', p_day)::date
           END;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION call_analytics_period_end(p_start DATE, p_period_type TEXT) RETURNS DATE AS $$
    SELECT CASE p_period_type
               WHEN 'daily' THEN p_start + 1
               WHEN 'weekly' THEN p_start + 7
               WHEN 'monthly' THEN (p_start + INTERVAL '1 month')::date
           END;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION update_call_analytics_cache() RETURNS TRIGGER AS $$
DECLARE
    old_status TEXT := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
    completed INTEGER := CASE WHEN NEW.status = 'completed' THEN 1 ELSE 0 END;
    failed INTEGER := CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END;
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    IF NOT call_became_terminal(TG_OP, old_status, NEW.status) THEN
        RETURN NULL;
    END IF;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
        INSERT INTO call_analytics_cache AS cac (
            user_id, date_period, period_type, total_calls, successful_calls, failed_calls, missed_calls,
            connection_rate, total_call_duration, average_call_duration, inbound_calls, outbound_calls)
        SELECT NEW.user_id, call_analytics_period_start(analytics_day(NEW.created_at), p.period_type),
               p.period_type, 1, completed, failed,
               CASE WHEN failed = 1 AND NEW.call_answered_at IS NULL THEN 1 ELSE 0 END,
               completed * 100, NEW.duration_minutes, NEW.duration_minutes,
               CASE WHEN NEW.lead_type = 'inbound' THEN 1 ELSE 0 END,
               CASE WHEN NEW.lead_type = 'outbound' THEN 1 ELSE 0 END
          FROM unnest(ARRAY['daily', 'weekly', 'monthly']) AS p(period_type)
        ON CONFLICT (user_id, date_period, period_type) DO UPDATE SET
            total_calls           = cac.total_calls + 1,
            successful_calls      = cac.successful_calls + EXCLUDED.successful_calls,
            failed_calls          = cac.failed_calls + EXCLUDED.failed_calls,
            missed_calls          = cac.missed_calls + EXCLUDED.missed_calls,
            connection_rate       = percentage(cac.successful_calls + EXCLUDED.successful_calls, cac.total_calls + 1),
            total_call_duration   = cac.total_call_duration + EXCLUDED.total_call_duration,
            average_call_duration = round((cac.total_call_duration + EXCLUDED.total_call_duration)::numeric
                                          / (cac.total_calls + 1), 2),
            inbound_calls         = cac.inbound_calls + EXCLUDED.inbound_calls,
            outbound_calls        = cac.outbound_calls + EXCLUDED.outbound_calls,
            calculated_at         = CURRENT_TIMESTAMP;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_trigger_error(TG_NAME, TG_TABLE_NAME, TG_OP, err_message, err_state,
            jsonb_build_object('call_id', NEW.id, 'user_id', NEW.user_id, 'status', NEW.status,
                               'context', err_context));
    END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_calls_update_analytics_cache
    AFTER INSERT OR UPDATE OF status ON calls
    FOR EACH ROW EXECUTE FUNCTION update_call_analytics_cache();

-- Recompute one period row of one user from the source tables (terminal calls of the period and
-- the individual lead analyses of those calls). Lead bands by total_score: hot >= 80, warm 60-79,
-- cold 40-59, unqualified below 40; conversion = hot and warm leads / leads.
CREATE FUNCTION calculate_call_analytics(p_user_id UUID, p_day DATE, p_period_type TEXT) RETURNS void AS $$
DECLARE
    period_start DATE := call_analytics_period_start(p_day, p_period_type);
    range_start TIMESTAMPTZ := period_start::timestamp AT TIME ZONE 'UTC';
    range_end TIMESTAMPTZ := call_analytics_period_end(period_start, p_period_type)::timestamp AT TIME ZONE 'UTC';
BEGIN
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

-- Recompute the daily, weekly and monthly rows containing target_date for every user with calls in
-- those periods; returns the number of rows written.
CREATE FUNCTION batch_calculate_call_analytics(target_date DATE DEFAULT (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::date - 1)
RETURNS INTEGER AS $$
DECLARE
    rec RECORD;
    written INTEGER := 0;
    range_start TIMESTAMPTZ := date_trunc('month', target_date)::timestamp AT TIME ZONE 'UTC';
    range_end TIMESTAMPTZ := (date_trunc('month', target_date) + INTERVAL '1 month')::timestamp AT TIME ZONE 'UTC';
BEGIN
    FOR rec IN
        SELECT DISTINCT c.user_id, p.period_type
          FROM calls c
         CROSS JOIN unnest(ARRAY['daily', 'weekly', 'monthly']) AS p(period_type)
         WHERE c.created_at >= LEAST(range_start, date_trunc('week', target_date)::timestamp AT TIME ZONE 'UTC')
           AND c.created_at < GREATEST(range_end, (date_trunc('week', target_date) + INTERVAL '7 days')::timestamp AT TIME ZONE 'UTC')
           AND analytics_day(c.created_at) >= call_analytics_period_start(target_date, p.period_type)
           AND analytics_day(c.created_at) < call_analytics_period_end(call_analytics_period_start(target_date, p.period_type), p.period_type)
    LOOP
        PERFORM calculate_call_analytics(rec.user_id, target_date, rec.period_type);
        written := written + 1;
    END LOOP;
    RETURN written;
END;
$$ LANGUAGE plpgsql;
