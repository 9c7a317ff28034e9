package ai.calling.auth.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.auth.TeamMemberships.Member;
import ai.calling.common.TeamRole;

/** team_members: which workspace each account acts in, with which role. */
@Repository
public class MembershipRepository {

    private static final String MEMBER_COLUMNS = """
            m.user_id, u.email, u.name, m.team_role, m.joined_at
              FROM team_members m JOIN users u ON u.id = m.user_id""";

    private final JdbcClient jdbc;

    MembershipRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The workspace an account acts in, its role there and the workspace's credits. */
    public Optional<Placement> placement(UUID userId) {
        return jdbc.sql("""
                SELECT m.workspace_id, m.team_role, w.credits, w.is_active FROM team_members m
                  JOIN users w ON w.id = m.workspace_id
                 WHERE m.user_id = :user""")
                .param("user", userId)
                .query((rs, n) -> new Placement(rs.getObject("workspace_id", UUID.class), role(rs),
                        rs.getInt("credits"), rs.getBoolean("is_active")))
                .optional();
    }

    /** The member of this workspace, locked until the transaction ends. */
    public Optional<Member> lockMember(UUID workspaceId, UUID userId) {
        return jdbc.sql("SELECT " + MEMBER_COLUMNS + " WHERE m.workspace_id = :workspace AND m.user_id = :user "
                        + "FOR UPDATE OF m")
                .param("workspace", workspaceId).param("user", userId).query(MembershipRepository::member).optional();
    }

    public List<Member> page(UUID workspaceId, int limit, long offset) {
        return jdbc.sql("SELECT " + MEMBER_COLUMNS + " WHERE m.workspace_id = :workspace "
                        + "ORDER BY m.joined_at, m.user_id LIMIT :limit OFFSET :offset")
                .param("workspace", workspaceId).param("limit", limit).param("offset", offset)
                .query(MembershipRepository::member).list();
    }

    public long count(UUID workspaceId) {
        return jdbc.sql("SELECT count(*) FROM team_members WHERE workspace_id = :workspace")
                .param("workspace", workspaceId).query(Long.class).single();
    }

    /** Every account of the workspace, the founding one included. */
    public List<UUID> memberIds(UUID workspaceId) {
        return jdbc.sql("SELECT user_id FROM team_members WHERE workspace_id = :workspace ORDER BY user_id")
                .param("workspace", workspaceId).query(UUID.class).list();
    }

    /** Moves a just-created account (owner of its own empty workspace so far) into a workspace. */
    public void join(UUID userId, UUID workspaceId, TeamRole role, UUID invitedBy) {
        jdbc.sql("""
                UPDATE team_members SET workspace_id = :workspace, team_role = :role, invited_by = :invitedBy,
                       joined_at = CURRENT_TIMESTAMP
                 WHERE user_id = :user""")
                .param("workspace", workspaceId).param("role", role.wireName()).param("invitedBy", invitedBy)
                .param("user", userId).update();
    }

    public void changeRole(UUID workspaceId, UUID userId, TeamRole role) {
        jdbc.sql("UPDATE team_members SET team_role = :role WHERE workspace_id = :workspace AND user_id = :user")
                .param("role", role.wireName()).param("workspace", workspaceId).param("user", userId).update();
    }

    public void remove(UUID workspaceId, UUID userId) {
        jdbc.sql("DELETE FROM team_members WHERE workspace_id = :workspace AND user_id = :user")
                .param("workspace", workspaceId).param("user", userId).update();
    }

    private static Member member(ResultSet rs, int n) throws SQLException {
        return new Member(rs.getObject("user_id", UUID.class), rs.getString("email"), rs.getString("name"),
                rs.getString("team_role"),
                rs.getObject("joined_at", OffsetDateTime.class).toInstant());
    }

    private static TeamRole role(ResultSet rs) throws SQLException {
        return TeamRole.fromWire(rs.getString("team_role")).orElseThrow();
    }

    /** Where a member acts: the workspace, the member's role in it, its credits and whether it is active. */
    public record Placement(UUID workspaceId, TeamRole teamRole, int credits, boolean workspaceActive) {
    }
}
