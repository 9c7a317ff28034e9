package ai.calling.call.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import ai.calling.call.CallDtos.CallFilter;

/**
 * The calls of an export, one row at a time: inside a transaction and with a fetch size, PostgreSQL's
 * driver reads through a cursor, so 100,000 calls never sit in memory together. The same filters as
 * the call list; the lead score and tag (the call's individual analysis) and the outcome come through
 * the lead and analytics modules' reporting views.
 */
@Repository
public class CallExports {

    static final int FETCH_SIZE = 1000;

    private final NamedParameterJdbcTemplate jdbc;

    CallExports(DataSource dataSource) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(FETCH_SIZE);
        this.jdbc = new NamedParameterJdbcTemplate(template);
    }

    public record Row(UUID id, Instant createdAt, UUID agentId, UUID campaignId, String phoneNumber, String callerName,
            String leadType, String callSource, String status, String lifecycleStatus, String outcome,
            int durationSeconds, int billedMinutes, int creditsUsed, Integer leadScore, String leadTag,
            String hangupBy, String hangupReason, Instant completedAt) {
    }

    /** Hands each call of the user matching {@code filter}, newest first, to {@code sink}; call inside a transaction. */
    public void forEach(UUID userId, CallFilter filter, Consumer<Row> sink) {
        MapSqlParameterSource params = new MapSqlParameterSource("user", userId);
        List<String> where = new ArrayList<>(List.of("c.user_id = :user"));
        if (filter.status() != null) {
            where.add("c.status = :status");
            params.addValue("status", filter.status());
        }
        if (filter.lifecycle() != null) {
            where.add("c.call_lifecycle_status = :lifecycle");
            params.addValue("lifecycle", filter.lifecycle());
        }
        if (filter.agentId() != null) {
            where.add("c.agent_id = :agent");
            params.addValue("agent", filter.agentId());
        }
        if (filter.leadType() != null) {
            where.add("c.lead_type = :leadType");
            params.addValue("leadType", filter.leadType());
        }
        if (filter.callSource() != null) {
            where.add("c.call_source = :callSource");
            params.addValue("callSource", filter.callSource());
        }
        if (filter.from() != null) {
            where.add("c.created_at >= :from");
            params.addValue("from", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            where.add("c.created_at < :to");
            params.addValue("to", filter.to().atOffset(ZoneOffset.UTC));
        }
        if (filter.phone() != null && !filter.phone().isBlank()) {
            where.add("c.phone_number LIKE :phone");
            params.addValue("phone", "%" + filter.phone().replaceAll("[^0-9+]", "") + "%");
        }
        String sql = """
                SELECT c.id, c.created_at, c.agent_id, c.campaign_id, c.phone_number, c.caller_name, c.lead_type,
                       c.call_source, c.status, c.call_lifecycle_status, o.outcome, c.duration_seconds,
                       c.duration_minutes, c.credits_used, la.total_score, la.lead_status_tag, c.hangup_by,
                       c.hangup_reason, c.completed_at
                  FROM calls c
                  LEFT JOIN report_call_outcomes o ON o.call_id = c.id AND o.user_id = c.user_id
                  LEFT JOIN LATERAL (
                       SELECT l.total_score, l.lead_status_tag FROM report_lead_analyses l
                        WHERE l.call_id = c.id AND l.user_id = c.user_id AND l.analysis_type = 'individual'
                        ORDER BY l.created_at DESC LIMIT 1) la ON true
                 WHERE\s""" + String.join(" AND ", where) + " ORDER BY c.created_at DESC, c.id";
        jdbc.query(sql, params, (RowCallbackHandler) rs -> sink.accept(row(rs)));
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), instant(rs, "created_at"), rs.getObject("agent_id", UUID.class),
                rs.getObject("campaign_id", UUID.class), rs.getString("phone_number"), rs.getString("caller_name"),
                rs.getString("lead_type"), rs.getString("call_source"), rs.getString("status"),
                rs.getString("call_lifecycle_status"), rs.getString("outcome"), rs.getInt("duration_seconds"),
                rs.getInt("duration_minutes"), rs.getInt("credits_used"), (Integer) rs.getObject("total_score"),
                rs.getString("lead_status_tag"), rs.getString("hangup_by"), rs.getString("hangup_reason"),
                instant(rs, "completed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
