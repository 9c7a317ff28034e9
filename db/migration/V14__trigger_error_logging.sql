-- How analytics triggers fail: they never abort the write that fired them. Each trigger body runs
-- in its own BEGIN ... EXCEPTION block (a subtransaction, so its partial work is undone) and the
-- handler records the failure here, in trigger_error_log, and raises a WARNING for the server log.
--
-- raise_if_trigger_failure_simulated lets tests force that path: a session that runs
--   SET LOCAL app.simulate_trigger_failure = '<trigger name>'
-- makes that trigger fail inside its protected block. Unset, it costs one current_setting() call.

CREATE FUNCTION log_trigger_error(
    p_trigger_name TEXT,
    p_table_name   TEXT,
    p_operation    TEXT,
    p_message      TEXT,
    p_sqlstate     TEXT,
    p_context      JSONB
) RETURNS void AS $$
BEGIN
    INSERT INTO trigger_error_log (trigger_name, table_name, operation, error_message, sqlstate, error_context)
    VALUES (p_trigger_name, p_table_name, p_operation, p_message, p_sqlstate, COALESCE(p_context, '{}'::jsonb));
    RAISE WARNING 'trigger % on % (%) failed: % [%]', p_trigger_name, p_table_name, p_operation, p_message, p_sqlstate;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION raise_if_trigger_failure_simulated(p_trigger_name TEXT) RETURNS void AS $$
BEGIN
    IF current_setting('app.simulate_trigger_failure', true) = p_trigger_name THEN
        RAISE EXCEPTION 'simulated failure of trigger %', p_trigger_name;
    END IF;
END;
$$ LANGUAGE plpgsql;
