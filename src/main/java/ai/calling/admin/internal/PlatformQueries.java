package ai.calling.admin.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

import ai.calling.common.Rows;
import org.springframework.stereotype.Repository;

/** Read-only platform queries over the database's own views and monitoring functions. */
@Repository
public class PlatformQueries {

    private final JdbcClient jdbc;

    PlatformQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Object> stats() {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM users) AS users,
                       (SELECT count(*) FROM users WHERE is_active) AS active_users,
                       (SELECT count(*) FROM agents WHERE is_active) AS agents,
                       (SELECT count(*) FROM calls WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS calls_today,
                       (SELECT count(*) FROM calls WHERE created_at >= now() - interval '30 days') AS calls_30_days,
                       (SELECT COALESCE(sum(duration_minutes), 0) FROM calls) AS minutes,
                       (SELECT COALESCE(sum(amount), 0) FROM credit_transactions WHERE type = 'purchase') AS credits_sold,
                       (SELECT COALESCE(-sum(amount), 0) FROM credit_transactions WHERE type = 'usage') AS credits_used""")
                .query(Rows::map).single();
    }

    public List<Map<String, Object>> revenueByCurrency() {
        return jdbc.sql("""
                SELECT currency, sum(amount_cents) AS amount_cents, count(*) AS purchases
                  FROM stripe_checkout_sessions WHERE credited_at IS NOT NULL GROUP BY currency ORDER BY currency""")
                .query(Rows::map).list();
    }

    public List<Map<String, Object>> activeSessions(int limit, long offset) {
        return jdbc.sql("""
                SELECT id, user_id, email, name, role, created_at, last_used_at, expires_at, refresh_expires_at,
                       host(ip_address) AS ip_address, user_agent
                  FROM active_user_sessions ORDER BY last_used_at DESC LIMIT :limit OFFSET :offset""")
                .param("limit", limit).param("offset", offset).query(Rows::map).list();
    }

    public List<Map<String, Object>> loginStats(int limit, long offset) {
        return jdbc.sql("SELECT * FROM user_login_stats ORDER BY failed_attempts DESC, email LIMIT :limit OFFSET :offset")
                .param("limit", limit).param("offset", offset).query(Rows::map).list();
    }

    public List<Map<String, Object>> triggerHealth() {
        return jdbc.sql("SELECT * FROM get_cache_trigger_health()").query(Rows::map).list();
    }

    public List<Map<String, Object>> recentTriggerErrors() {
        return jdbc.sql("""
                SELECT trigger_name, table_name, operation, error_message, sqlstate, occurred_at
                  FROM trigger_error_log ORDER BY occurred_at DESC LIMIT 50""").query(Rows::map).list();
    }

    public List<Map<String, Object>> consistency() {
        return jdbc.sql("SELECT * FROM validate_user_data_consistency()").query(Rows::map).list();
    }

    public List<Map<String, Object>> isolationAudit(UUID userId) {
        return jdbc.sql("SELECT * FROM audit_data_isolation(:user)").param("user", userId)
                .query(Rows::map).list();
    }
}
