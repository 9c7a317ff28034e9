package ai.calling.team.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.databind.json.JsonMapper;

import ai.calling.team.TeamDtos.AuditEntry;

/** team_audit_log: what the members of a workspace did. */
@Repository
public class TeamAuditLog {

    private static final String WHERE = " WHERE workspace_id = :workspace"
            + " AND (CAST(:actor AS uuid) IS NULL OR actor_user_id = :actor)"
            + " AND (CAST(:action AS text) IS NULL OR action = :action)";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TeamAuditLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void append(UUID workspaceId, UUID actorId, String action, String resourceType, String resourceId,
            Object details, String ipAddress, String userAgent) {
        jdbc.sql("""
                INSERT INTO team_audit_log (workspace_id, actor_user_id, action, resource_type, resource_id, details,
                                            ip_address, user_agent)
                VALUES (:workspace, :actor, :action, :resourceType, :resourceId, CAST(:details AS jsonb),
                        CAST(:ip AS inet), :userAgent)""")
                .param("workspace", workspaceId).param("actor", actorId).param("action", action)
                .param("resourceType", resourceType).param("resourceId", resourceId)
                .param("details", json.writeValueAsString(details)).param("ip", ipAddress).param("userAgent", userAgent)
                .update();
    }

    public long count(UUID workspaceId, UUID actorId, String action) {
        return jdbc.sql("SELECT count(*) FROM team_audit_log" + WHERE).param("workspace", workspaceId)
                .param("actor", actorId).param("action", action).query(Long.class).single();
    }

    /** Newest first. */
    public List<AuditEntry> page(UUID workspaceId, UUID actorId, String action, int limit, long offset) {
        return jdbc.sql("""
                SELECT id, actor_user_id, action, resource_type, resource_id, details::text AS details,
                       host(ip_address) AS ip, user_agent, created_at
                  FROM team_audit_log""" + WHERE + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("workspace", workspaceId).param("actor", actorId).param("action", action)
                .param("limit", limit).param("offset", offset)
                .query((rs, n) -> new AuditEntry(rs.getObject("id", UUID.class), rs.getObject("actor_user_id", UUID.class),
                        rs.getString("action"), rs.getString("resource_type"), rs.getString("resource_id"),
                        json.readTree(rs.getString("details")), rs.getString("ip"), rs.getString("user_agent"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
