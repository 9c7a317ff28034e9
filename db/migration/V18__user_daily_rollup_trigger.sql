-- trg_user_daily_rollup: every write of an agent's daily row (hour NULL) re-sums that user's day
-- from all of the user's agent rows into user_analytics (daily row, hour NULL) and
-- user_daily_analytics, so both always equal the sum of the agents. (Database.md's earlier name for
-- this job was trigger_update_user_analytics_from_agent_analytics.)
-- Exact under concurrency: the user's day rows are locked first, and the sums are read by later
-- statements that see everything committed by the writers that held those locks before.
-- Score averages are weighted by each agent's leads.

CREATE FUNCTION refresh_user_daily_analytics(p_user_id UUID, p_day DATE) RETURNS void AS $$
BEGIN
    INSERT INTO user_analytics (user_id, date, hour) VALUES (p_user_id, p_day, NULL)
    ON CONFLICT (user_id, date, hour) DO NOTHING;
    INSERT INTO user_daily_analytics (user_id, date) VALUES (p_user_id, p_day)
    ON CONFLICT (user_id, date) DO NOTHING;
    PERFORM 1 FROM user_analytics WHERE user_id = p_user_id AND date = p_day AND hour IS NULL FOR UPDATE;
    PERFORM 1 FROM user_daily_analytics WHERE user_id = p_user_id AND date = p_day FOR UPDATE;

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

CREATE FUNCTION trg_user_daily_rollup() RETURNS TRIGGER AS $$
DECLARE
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
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

CREATE TRIGGER trg_user_daily_rollup
    AFTER INSERT OR UPDATE ON agent_analytics
    FOR EACH ROW WHEN (NEW.hour IS NULL)
    EXECUTE FUNCTION trg_user_daily_rollup();
