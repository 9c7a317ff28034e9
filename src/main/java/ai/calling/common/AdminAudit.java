package ai.calling.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one component through which every admin mutation, in any feature, is recorded in
 * admin_audit_log: who, what, on which resource and user, with details, address and user agent.
 * It writes in the caller's transaction, so a change and its audit row commit or fail together.
 */
@Service
public class AdminAudit {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AdminAudit(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(CurrentUser actor, String action, String resourceType, String resourceId, UUID targetUserId,
            Map<String, ?> details, HttpServletRequest request) {
        jdbc.sql("""
                INSERT INTO admin_audit_log (admin_user_id, action, resource_type, resource_id, target_user_id, details,
                                             ip_address, user_agent)
                VALUES (:actor, :action, :resourceType, :resourceId, :target, CAST(:details AS jsonb),
                        CAST(:ip AS inet), :userAgent)""")
                .param("actor", actor.id()).param("action", action).param("resourceType", resourceType)
                .param("resourceId", resourceId).param("target", targetUserId)
                .param("details", json.writeValueAsString(details == null ? Map.of() : details))
                .param("ip", request == null ? null : request.getRemoteAddr())
                .param("userAgent", request == null ? null : request.getHeader(HttpHeaders.USER_AGENT)).update();
    }

    /** Newest first, optionally only one action or one target user. */
    @Transactional(readOnly = true)
    public PageResponse<AuditEntry> list(String action, UUID targetUserId, UUID adminUserId, Instant from, Instant to,
            PageRequest page) {
        String where = " WHERE (CAST(:action AS text) IS NULL OR action = :action)"
                + " AND (CAST(:target AS uuid) IS NULL OR target_user_id = :target)"
                + " AND (CAST(:admin AS uuid) IS NULL OR admin_user_id = :admin)"
                + " AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)"
                + " AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)";
        var fromTime = from == null ? null : from.atOffset(ZoneOffset.UTC);
        var toTime = to == null ? null : to.atOffset(ZoneOffset.UTC);
        long total = jdbc.sql("SELECT count(*) FROM admin_audit_log" + where)
                .param("action", action).param("target", targetUserId).param("admin", adminUserId)
                .param("from", fromTime).param("to", toTime).query(Long.class).single();
        var items = jdbc.sql("""
                SELECT id, admin_user_id, action, resource_type, resource_id, target_user_id, details::text AS details,
                       host(ip_address) AS ip, user_agent, created_at
                  FROM admin_audit_log""" + where + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("action", action).param("target", targetUserId).param("admin", adminUserId)
                .param("from", fromTime).param("to", toTime).param("limit", page.getPageSize())
                .param("offset", page.getOffset())
                .query((rs, n) -> new AuditEntry(rs.getObject("id", UUID.class), rs.getObject("admin_user_id", UUID.class),
                        rs.getString("action"), rs.getString("resource_type"), rs.getString("resource_id"),
                        rs.getObject("target_user_id", UUID.class), json.readTree(rs.getString("details")),
                        rs.getString("ip"), rs.getString("user_agent"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
        return new PageResponse<>(items, page.getPageNumber(), page.getPageSize(), total);
    }

    public record AuditEntry(UUID id, UUID adminUserId, String action, String resourceType, String resourceId,
            UUID targetUserId, JsonNode details, String ipAddress, String userAgent, Instant createdAt) {
    }
}
