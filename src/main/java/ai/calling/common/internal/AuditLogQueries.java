package ai.calling.common.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

import ai.calling.common.AdminAudit.AuditEntry;

/** SQL of admin_audit_log: the append of an entry and the filtered, paged listing. */
@Repository
public class AuditLogQueries {

    private static final String WHERE = " WHERE (CAST(:action AS text) IS NULL OR action = :action)"
            + " AND (CAST(:target AS uuid) IS NULL OR target_user_id = :target)"
            + " AND (CAST(:admin AS uuid) IS NULL OR admin_user_id = :admin)"
            + " AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)"
            + " AND (CAST(:to AS timestamptz) IS NULL OR created_at < :to)";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditLogQueries(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void append(UUID actorId, String action, String resourceType, String resourceId, UUID targetUserId,
            String detailsJson, String ipAddress, String userAgent) {
        jdbc.sql("""
                INSERT INTO admin_audit_log (admin_user_id, action, resource_type, resource_id, target_user_id, details,
                                             ip_address, user_agent)
                VALUES (:actor, :action, :resourceType, :resourceId, :target, CAST(:details AS jsonb),
                        CAST(:ip AS inet), :userAgent)""")
                .param("actor", actorId).param("action", action).param("resourceType", resourceType)
                .param("resourceId", resourceId).param("target", targetUserId).param("details", detailsJson)
                .param("ip", ipAddress).param("userAgent", userAgent).update();
    }

    /** How many entries match; every filter is optional (null). */
    public long count(Filter filter) {
        return filter.bind(jdbc.sql("SELECT count(*) FROM admin_audit_log" + WHERE)).query(Long.class).single();
    }

    /** The matching entries, newest first. */
    public List<AuditEntry> page(Filter filter, int limit, long offset) {
        return filter.bind(jdbc.sql("""
                SELECT id, admin_user_id, action, resource_type, resource_id, target_user_id, details::text AS details,
                       host(ip_address) AS ip, user_agent, created_at
                  FROM admin_audit_log""" + WHERE + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset"))
                .param("limit", limit).param("offset", offset)
                .query((rs, n) -> new AuditEntry(rs.getObject("id", UUID.class), rs.getObject("admin_user_id", UUID.class),
                        rs.getString("action"), rs.getString("resource_type"), rs.getString("resource_id"),
                        rs.getObject("target_user_id", UUID.class), json.readTree(rs.getString("details")),
                        rs.getString("ip"), rs.getString("user_agent"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** The listing's filters; each null one matches everything. */
    public record Filter(String action, UUID targetUserId, UUID adminUserId, OffsetDateTime from, OffsetDateTime to) {

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            return statement.param("action", action).param("target", targetUserId).param("admin", adminUserId)
                    .param("from", from).param("to", to);
        }
    }
}
