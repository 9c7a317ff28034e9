-- trg_leads_daily_analytics: when an individual lead analysis is written, the lead, CTA and score
-- figures of its call's day are brought up to date in agent_analytics. Complete analyses (one per
-- user and phone number, summarising several calls) are not counted, or a lead would count twice.
-- trigger_handle_lead_analytics_cta_update does the same when an analysis's CTA flags or scores
-- change afterwards. (Database.md's earlier per-concern triggers, trigger_update_agent_analytics_from_lead_cta
-- and trigger_update_agent_scores_from_lead_analytics, were consolidated into these.)
--
-- The day's lead figures are recomputed from lead_analytics, not incremented, so an UPDATE cannot
-- drift them. To stay exact under concurrent writers the agent's day row is locked first and the
-- figures are read by a later statement, which in READ COMMITTED sees every analysis committed by
-- the writers that held the lock before.

CREATE FUNCTION refresh_agent_daily_lead_metrics(p_agent_id UUID, p_user_id UUID, p_day DATE) RETURNS void AS $$
DECLARE
    day_start TIMESTAMPTZ := p_day::timestamp AT TIME ZONE 'UTC';
BEGIN
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

CREATE FUNCTION trg_leads_daily_analytics() RETURNS TRIGGER AS $$
DECLARE
    call_agent_id UUID;
    call_created_at TIMESTAMPTZ;
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    IF NEW.analysis_type <> 'individual'
       AND (TG_OP = 'INSERT' OR OLD.analysis_type <> 'individual') THEN
        RETURN NULL;
    END IF;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
        SELECT c.agent_id, c.created_at INTO call_agent_id, call_created_at
          FROM calls c WHERE c.id = NEW.call_id AND c.user_id = NEW.user_id;
        IF FOUND THEN
            PERFORM refresh_agent_daily_lead_metrics(call_agent_id, NEW.user_id, analytics_day(call_created_at));
        END IF;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_trigger_error(TG_NAME, TG_TABLE_NAME, TG_OP, err_message, err_state,
            jsonb_build_object('lead_analytics_id', NEW.id, 'call_id', NEW.call_id, 'user_id', NEW.user_id,
                               'context', err_context));
    END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_leads_daily_analytics
    AFTER INSERT ON lead_analytics
    FOR EACH ROW EXECUTE FUNCTION trg_leads_daily_analytics();

-- An UPDATE may also turn an analysis from individual into complete (or back): the same function
-- recomputes whenever the old or the new row counts.
CREATE TRIGGER trigger_handle_lead_analytics_cta_update
    AFTER UPDATE OF cta_pricing_clicked, cta_demo_clicked, cta_followup_clicked, cta_sample_clicked,
        cta_escalated_to_human, intent_score, urgency_score, budget_score, fit_score, engagement_score,
        total_score, analysis_type ON lead_analytics
    FOR EACH ROW EXECUTE FUNCTION trg_leads_daily_analytics();
