package ai.calling.team.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** team_invitations: pending, accepted and revoked invitations; only the SHA-256 of a token is kept. */
@Repository
public class InvitationRepository {

    private static final String COLUMNS = "id, workspace_id, email, team_role, status, expires_at, created_at, invited_by";

    private final JdbcClient jdbc;

    InvitationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new pending invitation; empty when the e-mail already has a pending one in this workspace. */
    public Optional<Invitation> insert(UUID workspaceId, String email, String teamRole, String tokenHash,
            Instant expiresAt, UUID invitedBy) {
        return jdbc.sql("INSERT INTO team_invitations (workspace_id, email, team_role, token_hash, expires_at, invited_by) "
                        + "VALUES (:workspace, :email, :role, :hash, :expiresAt, :invitedBy) "
                        + "ON CONFLICT (workspace_id, email) WHERE status = 'pending' DO NOTHING RETURNING " + COLUMNS)
                .param("workspace", workspaceId).param("email", email).param("role", teamRole).param("hash", tokenHash)
                .param("expiresAt", expiresAt.atOffset(ZoneOffset.UTC)).param("invitedBy", invitedBy)
                .query(InvitationRepository::invitation).optional();
    }

    /** The workspace's invitation, locked until the transaction ends. */
    public Optional<Invitation> lock(UUID workspaceId, UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM team_invitations WHERE id = :id AND workspace_id = :workspace FOR UPDATE")
                .param("id", id).param("workspace", workspaceId).query(InvitationRepository::invitation).optional();
    }

    /** The invitation holding this token, locked: two acceptances of one token run one after the other. */
    public Optional<Invitation> lockByToken(String tokenHash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM team_invitations WHERE token_hash = :hash FOR UPDATE")
                .param("hash", tokenHash).query(InvitationRepository::invitation).optional();
    }

    public List<Invitation> page(UUID workspaceId, int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM team_invitations WHERE workspace_id = :workspace "
                        + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("workspace", workspaceId).param("limit", limit).param("offset", offset)
                .query(InvitationRepository::invitation).list();
    }

    public long count(UUID workspaceId) {
        return jdbc.sql("SELECT count(*) FROM team_invitations WHERE workspace_id = :workspace")
                .param("workspace", workspaceId).query(Long.class).single();
    }

    /**
     * A new token and expiry for a pending invitation: the link mailed before stops working. Whoever resends it
     * is its inviter from now on (an invitation lapses with its inviter's rights).
     */
    public Invitation renew(UUID id, String tokenHash, Instant expiresAt, UUID invitedBy) {
        return jdbc.sql("UPDATE team_invitations SET token_hash = :hash, expires_at = :expiresAt, invited_by = :invitedBy "
                        + "WHERE id = :id RETURNING " + COLUMNS)
                .param("hash", tokenHash).param("expiresAt", expiresAt.atOffset(ZoneOffset.UTC)).param("id", id)
                .param("invitedBy", invitedBy).query(InvitationRepository::invitation).single();
    }

    /**
     * Revokes the invitation only while it is pending with this token (not resent, accepted or revoked meanwhile);
     * true when it did.
     */
    public boolean revokeIfUnchanged(UUID id, String tokenHash) {
        return jdbc.sql("UPDATE team_invitations SET status = 'revoked', revoked_at = CURRENT_TIMESTAMP "
                + "WHERE id = :id AND status = 'pending' AND token_hash = :hash")
                .param("id", id).param("hash", tokenHash).update() == 1;
    }

    /** Revokes every pending invitation to the workspace; returns their ids. */
    public List<UUID> revokePending(UUID workspaceId) {
        return jdbc.sql("UPDATE team_invitations SET status = 'revoked', revoked_at = CURRENT_TIMESTAMP "
                + "WHERE workspace_id = :workspace AND status = 'pending' RETURNING id")
                .param("workspace", workspaceId).query(UUID.class).list();
    }

    public void revoke(UUID id) {
        jdbc.sql("UPDATE team_invitations SET status = 'revoked', revoked_at = CURRENT_TIMESTAMP WHERE id = :id")
                .param("id", id).update();
    }

    public void accept(UUID id, UUID userId) {
        jdbc.sql("UPDATE team_invitations SET status = 'accepted', accepted_at = CURRENT_TIMESTAMP, "
                        + "accepted_user = :user WHERE id = :id")
                .param("user", userId).param("id", id).update();
    }

    private static Invitation invitation(ResultSet rs, int n) throws SQLException {
        return new Invitation(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getString("email"), rs.getString("team_role"), rs.getString("status"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("invited_by", UUID.class));
    }

    /** A row of team_invitations, without its token. */
    public record Invitation(UUID id, UUID workspaceId, String email, String teamRole, String status,
            Instant expiresAt, Instant createdAt, UUID invitedBy) {

        public boolean pending() {
            return "pending".equals(status);
        }
    }
}
