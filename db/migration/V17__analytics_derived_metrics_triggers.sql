-- The CTA totals and rates of a daily analytics row are derived from its counters, on every write,
-- by one BEFORE trigger function shared by agent_analytics and user_analytics (they name the
-- counters alike): trigger_update_agent_analytics_cta_totals and trigger_update_user_analytics_cta_totals.
-- Rates are percentages capped at 100 and 0 when their denominator is 0:
--   cta_conversion_rate = analysed calls with any CTA / calls      conversion_rate = qualified / leads
--   success_rate = answer_rate = completed calls / calls (a terminal call is completed or failed)
--   avg_duration_minutes = duration / calls                         cost_per_lead = credits / leads

CREATE FUNCTION percentage(p_part NUMERIC, p_whole NUMERIC) RETURNS NUMERIC AS $$
    SELECT CASE WHEN p_whole > 0 THEN LEAST(100.00, round(p_part * 100 / p_whole, 2)) ELSE 0 END;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION update_analytics_cta_totals() RETURNS TRIGGER AS $$
DECLARE
    err_message TEXT;
    err_state TEXT;
BEGIN
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
        NEW.total_cta_interactions := NEW.cta_pricing_clicks + NEW.cta_demo_clicks + NEW.cta_followup_clicks
                                    + NEW.cta_sample_clicks + NEW.cta_human_escalations;
        NEW.cta_conversion_rate := percentage(NEW.leads_with_cta, NEW.total_calls);
        NEW.conversion_rate := percentage(NEW.qualified_leads, NEW.leads_generated);
        NEW.success_rate := percentage(NEW.successful_calls, NEW.total_calls);
        NEW.answer_rate := NEW.success_rate;
        NEW.avg_duration_minutes := CASE WHEN NEW.total_calls > 0
                                         THEN round(NEW.total_duration_minutes::numeric / NEW.total_calls, 2)
                                         ELSE 0 END;
        NEW.cost_per_lead := CASE WHEN NEW.leads_generated > 0
                                  THEN round(NEW.credits_used::numeric / NEW.leads_generated, 2)
                                  ELSE 0 END;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE;
        PERFORM log_trigger_error(TG_NAME, TG_TABLE_NAME, TG_OP, err_message, err_state,
            jsonb_build_object('row_id', NEW.id, 'user_id', NEW.user_id, 'date', NEW.date));
    END;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trigger_update_agent_analytics_cta_totals
    BEFORE INSERT OR UPDATE ON agent_analytics
    FOR EACH ROW EXECUTE FUNCTION update_analytics_cta_totals();

CREATE TRIGGER trigger_update_user_analytics_cta_totals
    BEFORE INSERT OR UPDATE ON user_analytics
    FOR EACH ROW EXECUTE FUNCTION update_analytics_cta_totals();
