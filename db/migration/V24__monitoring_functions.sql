-- Monitoring functions named in Database.md: data consistency and tenant isolation audits, trigger
-- health, the manual cache-invalidation probe and the migration progress recorder.

-- One row per check with the number of offending rows (0 everywhere on a healthy database: the
-- composite foreign keys make the tenancy mismatches impossible; the checks prove it on live data).
CREATE FUNCTION validate_user_data_consistency()
RETURNS TABLE (check_name TEXT, inconsistent_records BIGINT, details TEXT) AS $$
BEGIN
    RETURN QUERY SELECT 'calls_agents_mismatch', count(*),
        'calls whose agent belongs to another user'
      FROM calls c JOIN agents a ON a.id = c.agent_id WHERE a.user_id <> c.user_id;
    RETURN QUERY SELECT 'calls_contacts_mismatch', count(*),
        'calls whose contact belongs to another user'
      FROM calls c JOIN contacts ct ON ct.id = c.contact_id WHERE ct.user_id <> c.user_id;
    RETURN QUERY SELECT 'transcripts_calls_mismatch', count(*),
        'transcripts whose call belongs to another user'
      FROM transcripts t JOIN calls c ON c.id = t.call_id WHERE c.user_id <> t.user_id;
    RETURN QUERY SELECT 'lead_analytics_calls_mismatch', count(*),
        'lead analyses whose call belongs to another user'
      FROM lead_analytics l JOIN calls c ON c.id = l.call_id WHERE c.user_id <> l.user_id;
    RETURN QUERY SELECT 'agent_analytics_agents_mismatch', count(*),
        'agent analytics rows whose agent belongs to another user'
      FROM agent_analytics aa JOIN agents a ON a.id = aa.agent_id WHERE a.user_id <> aa.user_id;
    RETURN QUERY SELECT 'agent_call_outcomes_mismatch', count(*),
        'call outcomes whose call or agent belongs to another user'
      FROM agent_call_outcomes o JOIN calls c ON c.id = o.call_id JOIN agents a ON a.id = o.agent_id
     WHERE o.user_id <> c.user_id OR o.user_id <> a.user_id;
    RETURN QUERY SELECT 'customers_contacts_mismatch', count(*),
        'customers whose contact belongs to another user'
      FROM customers cu JOIN contacts ct ON ct.id = cu.contact_id WHERE ct.user_id <> cu.user_id;
    RETURN QUERY SELECT 'agent_analytics_call_counts', count(*),
        'agent analytics rows where total_calls differs from successful_calls + failed_calls'
      FROM agent_analytics WHERE total_calls <> successful_calls + failed_calls;
    RETURN QUERY SELECT 'user_analytics_rollup', count(*),
        'user daily rows that differ from the sum of their agents'' rows'
      FROM user_analytics ua
      LEFT JOIN (SELECT user_id, date, sum(total_calls) AS calls, sum(leads_generated) AS leads
                   FROM agent_analytics WHERE hour IS NULL GROUP BY user_id, date) s
             ON s.user_id = ua.user_id AND s.date = ua.date
     WHERE ua.hour IS NULL
       AND (ua.total_calls <> COALESCE(s.calls, 0) OR ua.leads_generated <> COALESCE(s.leads, 0));
END;
$$ LANGUAGE plpgsql STABLE;

-- For one user: rows that user owns which point at another user's rows (potential leaks).
CREATE FUNCTION audit_data_isolation(target_user_id UUID)
RETURNS TABLE (audit_type TEXT, potential_leak BOOLEAN, record_count BIGINT, details TEXT) AS $$
BEGIN
    RETURN QUERY SELECT 'calls_access', count(*) > 0, count(*),
        'calls of this user that name another user''s agent or contact'
      FROM calls c
      LEFT JOIN agents a ON a.id = c.agent_id
      LEFT JOIN contacts ct ON ct.id = c.contact_id
     WHERE c.user_id = target_user_id AND (a.user_id <> target_user_id OR ct.user_id <> target_user_id);
    RETURN QUERY SELECT 'transcripts_access', count(*) > 0, count(*),
        'transcripts of this user attached to another user''s call'
      FROM transcripts t JOIN calls c ON c.id = t.call_id
     WHERE t.user_id = target_user_id AND c.user_id <> target_user_id;
    RETURN QUERY SELECT 'lead_analytics_access', count(*) > 0, count(*),
        'lead analyses of this user attached to another user''s call'
      FROM lead_analytics l JOIN calls c ON c.id = l.call_id
     WHERE l.user_id = target_user_id AND c.user_id <> target_user_id;
    RETURN QUERY SELECT 'agent_analytics_access', count(*) > 0, count(*),
        'agent analytics of this user about another user''s agent'
      FROM agent_analytics aa JOIN agents a ON a.id = aa.agent_id
     WHERE aa.user_id = target_user_id AND a.user_id <> target_user_id;
    RETURN QUERY SELECT 'credit_transactions_access', count(*) > 0, count(*),
        'credit transactions of this user about another user''s call'
      FROM credit_transactions t JOIN calls c ON c.id = t.call_id
     WHERE t.user_id = target_user_id AND c.user_id <> target_user_id;
    RETURN QUERY SELECT 'customers_access', count(*) > 0, count(*),
        'customers of this user built from another user''s contact'
      FROM customers cu JOIN contacts ct ON ct.id = cu.contact_id
     WHERE cu.user_id = target_user_id AND ct.user_id <> target_user_id;
END;
$$ LANGUAGE plpgsql STABLE;

-- The analytics triggers (the updated_at stampers excluded): whether each is enabled and how many
-- failures it logged in the last hour.
CREATE FUNCTION get_cache_trigger_health()
RETURNS TABLE (table_name TEXT, trigger_name TEXT, is_enabled BOOLEAN, recent_errors BIGINT) AS $$
    SELECT c.relname::text, t.tgname::text, t.tgenabled <> 'D',
           (SELECT count(*) FROM trigger_error_log e
             WHERE e.trigger_name = t.tgname AND e.occurred_at > CURRENT_TIMESTAMP - INTERVAL '1 hour')
      FROM pg_trigger t
      JOIN pg_class c ON c.oid = t.tgrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE NOT t.tgisinternal
       AND n.nspname = current_schema()
       AND t.tgname NOT LIKE 'update\_%\_updated\_at'
     ORDER BY 1, 2;
$$ LANGUAGE sql STABLE;

-- The in-process caches replaced the NOTIFY-based invalidation triggers (CONTRACT.md); this probe
-- still sends one notification on the cache_invalidation channel, for debugging any listener.
CREATE FUNCTION test_cache_invalidation(test_table_name TEXT, test_user_id UUID DEFAULT NULL) RETURNS JSONB AS $$
DECLARE
    payload JSONB := jsonb_build_object('table', test_table_name, 'operation', 'TEST',
                                        'user_id', test_user_id, 'sent_at', CURRENT_TIMESTAMP);
BEGIN
    PERFORM pg_notify('cache_invalidation', payload::text);
    RETURN jsonb_build_object('success', true, 'payload', payload);
END;
$$ LANGUAGE plpgsql;

-- Records the progress of a data migration step (creates the row on first use).
CREATE FUNCTION update_migration_progress(
    p_migration_name   VARCHAR,
    p_table_name       VARCHAR,
    p_status           VARCHAR,
    p_records_total    INTEGER DEFAULT NULL,
    p_records_migrated INTEGER DEFAULT NULL,
    p_error_message    TEXT DEFAULT NULL
) RETURNS void AS $$
BEGIN
    INSERT INTO migration_status AS ms (migration_name, table_name, status, records_total, records_migrated,
                                        error_message, started_at, completed_at)
    VALUES (p_migration_name, p_table_name, p_status, COALESCE(p_records_total, 0),
            COALESCE(p_records_migrated, 0), p_error_message,
            CASE WHEN p_status <> 'pending' THEN CURRENT_TIMESTAMP END,
            CASE WHEN p_status IN ('completed', 'failed') THEN CURRENT_TIMESTAMP END)
    ON CONFLICT (migration_name, table_name) DO UPDATE SET
        status           = EXCLUDED.status,
        records_total    = COALESCE(p_records_total, ms.records_total),
        records_migrated = COALESCE(p_records_migrated, ms.records_migrated),
        error_message    = p_error_message,
        started_at       = COALESCE(ms.started_at, EXCLUDED.started_at),
        completed_at     = CASE WHEN p_status IN ('completed', 'failed') THEN CURRENT_TIMESTAMP END;
END;
$$ LANGUAGE plpgsql;
