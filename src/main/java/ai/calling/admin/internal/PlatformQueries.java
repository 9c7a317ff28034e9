package ai.calling.admin.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import org.springframework.stereotype.Repository;

import ai.calling.admin.AdminDtos.ActiveSession;
import ai.calling.admin.AdminDtos.AgentSummary;
import ai.calling.admin.AdminDtos.CallSummary;
import ai.calling.admin.AdminDtos.ConsistencyCheck;
import ai.calling.admin.AdminDtos.IsolationCheck;
import ai.calling.admin.AdminDtos.LoginStats;
import ai.calling.admin.AdminDtos.PlatformKpis;
import ai.calling.admin.AdminDtos.PlatformStats;
import ai.calling.admin.AdminDtos.Revenue;
import ai.calling.admin.AdminDtos.TriggerError;
import ai.calling.admin.AdminDtos.TriggerStatus;
import ai.calling.admin.AdminDtos.UserKpis;
import ai.calling.admin.AdminDtos.UserSummary;

/** Read-only platform queries over the database's own views (the reporting views, user_stats, the KPI view) and monitoring functions. */
@Repository
public class PlatformQueries {

    private static final RowMapper<UserSummary> USER_STATS = new DataClassRowMapper<>(UserSummary.class);

    private final JdbcClient jdbc;

    PlatformQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public PlatformStats stats() {
        return jdbc.sql("""
                SELECT (SELECT count(*) FROM report_accounts) AS users,
                       (SELECT count(*) FROM report_accounts WHERE is_active) AS active_users,
                       (SELECT count(*) FROM report_agents WHERE is_active) AS agents,
                       (SELECT count(*) FROM report_calls WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS calls_today,
                       (SELECT count(*) FROM report_calls WHERE created_at >= now() - interval '30 days') AS calls_30_days,
                       (SELECT COALESCE(sum(duration_minutes), 0) FROM report_calls) AS minutes,
                       (SELECT COALESCE(sum(amount), 0) FROM report_credit_movements WHERE type = 'purchase') AS credits_sold,
                       (SELECT COALESCE(-sum(amount), 0) FROM report_credit_movements WHERE type = 'usage') AS credits_used""")
                .query((rs, row) -> new PlatformStats(rs.getLong("users"), rs.getLong("active_users"),
                        rs.getLong("agents"), rs.getLong("calls_today"), rs.getLong("calls_30_days"), rs.getLong("minutes"),
                        rs.getLong("credits_sold"), rs.getLong("credits_used"), revenueByCurrency(), platformKpis()))
                .single();
    }

    /** The rolling figures summed over the KPI view (one row per account, refreshed by a job). */
    PlatformKpis platformKpis() {
        return jdbc.sql("""
                SELECT COALESCE(sum(total_calls_30d), 0) AS calls_30_days,
                       COALESCE(sum(successful_calls_30d), 0) AS successful_calls_30_days,
                       COALESCE(sum(failed_calls_30d), 0) AS failed_calls_30_days,
                       COALESCE(sum(total_duration_30d), 0) AS minutes_30_days,
                       COALESCE(sum(total_credits_used_30d), 0) AS credits_used_30_days,
                       COALESCE(sum(total_leads_30d), 0) AS leads_30_days,
                       COALESCE(sum(qualified_leads_30d), 0) AS qualified_leads_30_days,
                       COALESCE(sum(calls_last_7d), 0) AS calls_last_7_days,
                       COALESCE(sum(credits_used_last_7d), 0) AS credits_used_last_7_days,
                       max(calculated_at) AS calculated_at
                  FROM user_kpi_summary""")
                .query((rs, row) -> new PlatformKpis(rs.getLong("calls_30_days"), rs.getLong("successful_calls_30_days"),
                        rs.getLong("failed_calls_30_days"), rs.getLong("minutes_30_days"),
                        rs.getLong("credits_used_30_days"), rs.getLong("leads_30_days"),
                        rs.getLong("qualified_leads_30_days"), rs.getLong("calls_last_7_days"),
                        rs.getLong("credits_used_last_7_days"), instant(rs.getTimestamp("calculated_at"))))
                .single();
    }

    /** Accounts with their user_stats figures; filters are optional. */
    public Page<UserSummary> users(String search, String role, Boolean active, int limit, long offset) {
        String where = """
                 WHERE (CAST(:search AS text) IS NULL OR email LIKE lower(:search) OR lower(name) LIKE lower(:search))
                   AND (CAST(:role AS text) IS NULL OR role = :role)
                   AND (CAST(:active AS boolean) IS NULL OR is_active = :active)""";
        String like = search == null || search.isBlank() ? null : "%" + search.trim() + "%";
        long total = jdbc.sql("SELECT count(*) FROM user_stats " + where).param("search", like).param("role", role)
                .param("active", active).query(Long.class).single();
        List<UserSummary> items = jdbc.sql("""
                SELECT s.*, NULL AS kpis, k.total_calls_30d, k.successful_calls_30d, k.success_rate_30d,
                       k.total_duration_30d, k.total_credits_used_30d, k.total_leads_30d, k.qualified_leads_30d,
                       k.conversion_rate_30d, k.avg_lead_score_30d, k.best_performing_agent_id,
                       k.best_performing_agent_name, k.calls_last_7d, k.total_calls_lifetime, k.calculated_at
                  FROM (SELECT * FROM user_stats""" + " " + where
                        + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset) s"
                        + " LEFT JOIN user_kpi_summary k ON k.user_id = s.id ORDER BY s.created_at DESC, s.id")
                .param("search", like).param("role", role).param("active", active).param("limit", limit)
                .param("offset", offset).query((rs, row) -> USER_STATS.mapRow(rs, row).withKpis(userKpis(rs))).list();
        return new Page<>(items, total);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** The account's KPI row, or null when the account was created after the view's last refresh. */
    private static UserKpis userKpis(ResultSet rs) throws SQLException {
        Timestamp calculatedAt = rs.getTimestamp("calculated_at");
        if (calculatedAt == null) {
            return null;
        }
        return new UserKpis(rs.getLong("total_calls_30d"), rs.getLong("successful_calls_30d"),
                rs.getBigDecimal("success_rate_30d"), rs.getLong("total_duration_30d"),
                rs.getLong("total_credits_used_30d"), rs.getLong("total_leads_30d"), rs.getLong("qualified_leads_30d"),
                rs.getBigDecimal("conversion_rate_30d"), rs.getBigDecimal("avg_lead_score_30d"),
                rs.getObject("best_performing_agent_id", UUID.class), rs.getString("best_performing_agent_name"),
                rs.getLong("calls_last_7d"), rs.getLong("total_calls_lifetime"), calculatedAt.toInstant());
    }

    /** Agents of every tenant, with their owner's e-mail. */
    public Page<AgentSummary> agents(UUID userId, String search, Boolean active, int limit, long offset) {
        String where = """
                 WHERE (CAST(:user AS uuid) IS NULL OR a.user_id = :user)
                   AND (CAST(:search AS text) IS NULL OR lower(a.name) LIKE lower(:search))
                   AND (CAST(:active AS boolean) IS NULL OR a.is_active = :active)""";
        String like = search == null || search.isBlank() ? null : "%" + search.trim() + "%";
        long total = jdbc.sql("SELECT count(*) FROM report_agents a" + " " + where).param("user", userId).param("search", like)
                .param("active", active).query(Long.class).single();
        List<AgentSummary> items = jdbc.sql("""
                SELECT a.id, a.user_id, u.email AS owner_email, a.name, a.agent_type, a.is_active, a.bolna_agent_id,
                       a.created_at FROM report_agents a JOIN report_accounts u ON u.id = a.user_id""" + " " + where
                        + " ORDER BY a.created_at DESC, a.id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("search", like).param("active", active).param("limit", limit)
                .param("offset", offset).query(AgentSummary.class).list();
        return new Page<>(items, total);
    }

    /** Calls of every tenant, newest first. */
    public Page<CallSummary> calls(UUID userId, String status, Instant from, Instant to, int limit, long offset) {
        String where = """
                 WHERE (CAST(:user AS uuid) IS NULL OR c.user_id = :user)
                   AND (CAST(:status AS text) IS NULL OR c.status = :status)
                   AND (CAST(:from AS timestamptz) IS NULL OR c.created_at >= :from)
                   AND (CAST(:to AS timestamptz) IS NULL OR c.created_at < :to)""";
        var fromTime = from == null ? null : from.atOffset(ZoneOffset.UTC);
        var toTime = to == null ? null : to.atOffset(ZoneOffset.UTC);
        long total = jdbc.sql("SELECT count(*) FROM report_calls c" + " " + where).param("user", userId).param("status", status)
                .param("from", fromTime).param("to", toTime).query(Long.class).single();
        List<CallSummary> items = jdbc.sql("""
                SELECT c.id, c.user_id, c.agent_id, c.phone_number, c.status, c.call_lifecycle_status, c.lead_type,
                       c.duration_seconds, c.credits_used, c.bolna_execution_id, c.created_at FROM report_calls c""" + " " + where
                        + " ORDER BY c.created_at DESC, c.id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("status", status).param("from", fromTime).param("to", toTime)
                .param("limit", limit).param("offset", offset).query(CallSummary.class).list();
        return new Page<>(items, total);
    }

    public record Page<T>(List<T> items, long total) {
    }

    /** Paid checkouts credited to their accounts, by currency (not those refunded because the account had closed). */
    public List<Revenue> revenueByCurrency() {
        return jdbc.sql("""
                SELECT currency, sum(amount_cents) AS amount_cents, count(*) AS purchases
                  FROM report_checkout_sessions WHERE credited_at IS NOT NULL AND refund_for_closure_at IS NULL
                 GROUP BY currency ORDER BY currency""")
                .query(Revenue.class).list();
    }

    public List<ActiveSession> activeSessions(int limit, long offset) {
        return jdbc.sql("""
                SELECT id, user_id, email, name, role, created_at, last_used_at, expires_at, refresh_expires_at,
                       host(ip_address) AS ip_address, user_agent
                  FROM active_user_sessions ORDER BY last_used_at DESC LIMIT :limit OFFSET :offset""")
                .param("limit", limit).param("offset", offset).query(ActiveSession.class).list();
    }

    public List<LoginStats> loginStats(int limit, long offset) {
        return jdbc.sql("SELECT * FROM user_login_stats ORDER BY failed_attempts DESC, email LIMIT :limit OFFSET :offset")
                .param("limit", limit).param("offset", offset).query(LoginStats.class).list();
    }

    public List<TriggerStatus> triggerHealth() {
        return jdbc.sql("SELECT * FROM get_cache_trigger_health()").query(TriggerStatus.class).list();
    }

    public List<TriggerError> recentTriggerErrors() {
        return jdbc.sql("""
                SELECT trigger_name, table_name, operation, error_message, sqlstate, occurred_at
                  FROM trigger_error_log ORDER BY occurred_at DESC LIMIT 50""").query(TriggerError.class).list();
    }

    public List<ConsistencyCheck> consistency() {
        return jdbc.sql("SELECT * FROM validate_user_data_consistency()").query(ConsistencyCheck.class).list();
    }

    public List<IsolationCheck> isolationAudit(UUID userId) {
        return jdbc.sql("SELECT * FROM audit_data_isolation(:user)").param("user", userId)
                .query(IsolationCheck.class).list();
    }
}
