-- trg_user_daily_rollup: when only an agent day's call figures move (a call has ended: total_calls,
-- successful_calls, failed_calls, total_duration_minutes, credits_used; the lead, CTA and score figures are
-- as they were), the account's day moves by the same difference, two UPDATEs, instead of being re-summed from
-- every agent row of the day (refresh_user_daily_analytics: two upserts, two row locks and two UPDATEs, one
-- of them aggregating). Measured over the campaign dispatch benchmark: the re-sum was 0.58 ms of the 1.5 ms
-- that the analytics triggers take per call that ends (bench/README, "2026-11-27, third session").
-- A day's first row (INSERT), a lead analysis, and a day whose account rows are missing still re-sum.
-- Exact under concurrency as the re-sum is: each UPDATE adds to the row version it locks, and a re-sum
-- that ran first either saw this agent row's change committed (and its difference was applied before that
-- commit, so the re-sum's absolute figures replace it) or did not see it (and the difference is added to
-- the re-sum's figures). decision 0054.

CREATE OR REPLACE FUNCTION trg_user_daily_rollup() RETURNS TRIGGER AS $$
DECLARE
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
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
