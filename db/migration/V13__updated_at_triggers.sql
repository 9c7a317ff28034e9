-- Stamp updated_at on every UPDATE of the tables that carry it (update_updated_at_column from V1).
-- Trigger names follow Database.md: update_<table>_updated_at.

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY[
        'users', 'agents', 'calls', 'contacts', 'transcripts', 'system_config', 'agent_analytics',
        'agent_targets', 'dashboard_cache', 'user_daily_analytics', 'user_sessions', 'customers',
        'follow_ups', 'phone_numbers', 'user_analytics', 'call_analytics_cache']
    LOOP
        EXECUTE format(
            'CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()',
            'update_' || t || '_updated_at', t);
    END LOOP;
END;
$$;
