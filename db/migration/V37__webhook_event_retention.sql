-- Retention of the Bolna webhook journal. Every delivery is kept as received (issue 8); once an event
-- is processed or ignored, its effects live on the call, the transcript and the ledger, so the raw
-- delivery is kept for a configurable number of days for audit and replay, then deleted. Failed
-- events and events not processed yet are never deleted here: they still need the sweep or a replay.

INSERT INTO system_config (config_key, config_value, description) VALUES
    ('webhook_event_retention_days', '90',
     'Days a processed or ignored Bolna webhook delivery is kept; failed and unprocessed ones are kept')
ON CONFLICT (config_key) DO NOTHING;

CREATE FUNCTION cleanup_bolna_webhook_events(days_to_keep INTEGER DEFAULT 90) RETURNS INTEGER AS $$
DECLARE
    deleted INTEGER;
BEGIN
    IF days_to_keep IS NULL OR days_to_keep < 1 THEN
        RAISE EXCEPTION 'days_to_keep must be 1 or more, got %', days_to_keep;
    END IF;
    DELETE FROM bolna_webhook_events
     WHERE state IN ('processed', 'ignored')
       AND received_at < CURRENT_TIMESTAMP - make_interval(days => days_to_keep);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$ LANGUAGE plpgsql;
