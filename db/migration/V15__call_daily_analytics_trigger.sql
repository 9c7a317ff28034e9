-- trg_calls_daily_analytics: a call is counted in agent_analytics exactly once, at the moment it
-- becomes terminal (completed or failed), by an UPSERT on (agent_id, user_id, date) that is safe
-- under concurrent writers. It fires only on INSERT and on UPDATE OF status, and a status update
-- counts only when the previous status was not already terminal, so later updates of other columns
-- (or a repeated status write) never count the call again. Duration and credits are taken from the
-- row as it becomes terminal: the services write them in the same statement as the final status.
-- The day is the UTC calendar day of the call's created_at.

CREATE INDEX idx_calls_agent_created_at ON calls (agent_id, created_at);

CREATE FUNCTION analytics_day(p_at TIMESTAMPTZ) RETURNS DATE AS $$
    SELECT (p_at AT TIME ZONE 'UTC')::date;
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION call_became_terminal(p_operation TEXT, p_old_status TEXT, p_new_status TEXT) RETURNS BOOLEAN AS $$
    SELECT p_new_status IN ('completed', 'failed')
       AND (p_operation = 'INSERT' OR p_old_status IS NULL OR p_old_status NOT IN ('completed', 'failed'));
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION trg_calls_daily_analytics() RETURNS TRIGGER AS $$
DECLARE
    old_status TEXT := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
    err_message TEXT;
    err_state TEXT;
    err_context TEXT;
BEGIN
    IF NOT call_became_terminal(TG_OP, old_status, NEW.status) THEN
        RETURN NULL;
    END IF;
    BEGIN
        PERFORM raise_if_trigger_failure_simulated(TG_NAME);
        INSERT INTO agent_analytics AS aa (
            agent_id, user_id, date, total_calls, successful_calls, failed_calls,
            total_duration_minutes, credits_used)
        VALUES (
            NEW.agent_id, NEW.user_id, analytics_day(NEW.created_at), 1,
            CASE WHEN NEW.status = 'completed' THEN 1 ELSE 0 END,
            CASE WHEN NEW.status = 'failed' THEN 1 ELSE 0 END,
            NEW.duration_minutes, NEW.credits_used)
        ON CONFLICT (agent_id, user_id, date) DO UPDATE SET
            total_calls            = aa.total_calls + 1,
            successful_calls       = aa.successful_calls + EXCLUDED.successful_calls,
            failed_calls           = aa.failed_calls + EXCLUDED.failed_calls,
            total_duration_minutes = aa.total_duration_minutes + EXCLUDED.total_duration_minutes,
            credits_used           = aa.credits_used + EXCLUDED.credits_used;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS err_message = MESSAGE_TEXT, err_state = RETURNED_SQLSTATE,
                                err_context = PG_EXCEPTION_CONTEXT;
        PERFORM log_trigger_error(TG_NAME, TG_TABLE_NAME, TG_OP, err_message, err_state,
            jsonb_build_object('call_id', NEW.id, 'agent_id', NEW.agent_id, 'user_id', NEW.user_id,
                               'status', NEW.status, 'context', err_context));
    END;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_calls_daily_analytics
    AFTER INSERT OR UPDATE OF status ON calls
    FOR EACH ROW EXECUTE FUNCTION trg_calls_daily_analytics();
