package ai.calling.auth.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** user_sessions and the rotated refresh tokens; only SHA-256 hashes of tokens are stored. */
@Repository
public class SessionRepository {

    private final JdbcClient jdbc;

    SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(UUID sessionId, UUID userId, String accessTokenIdHash, String refreshTokenHash,
            Instant accessExpiresAt, Instant refreshExpiresAt, String ip, String userAgent) {
        jdbc.sql("""
                INSERT INTO user_sessions (id, user_id, token_hash, refresh_token_hash, expires_at,
                                           refresh_expires_at, ip_address, user_agent)
                VALUES (:id, :user, :tokenHash, :refreshHash, :expiresAt, :refreshExpiresAt,
                        CAST(:ip AS inet), :userAgent)""")
                .param("id", sessionId).param("user", userId).param("tokenHash", accessTokenIdHash)
                .param("refreshHash", refreshTokenHash).param("expiresAt", utc(accessExpiresAt))
                .param("refreshExpiresAt", utc(refreshExpiresAt)).param("ip", ip).param("userAgent", userAgent)
                .update();
    }

    /**
     * Who the session's user is right now, when the session, the user and their workspace are all
     * active: their platform role, the workspace they act in and their role there. A removed member
     * has no workspace any more, so their next request is anonymous (401).
     */
    public Optional<ActiveIdentity> activeIdentity(UUID sessionId, UUID userId) {
        return jdbc.sql("""
                SELECT u.role, m.workspace_id, m.team_role
                  FROM user_sessions s JOIN users u ON u.id = s.user_id
                  JOIN team_members m ON m.user_id = u.id JOIN users w ON w.id = m.workspace_id
                 WHERE s.id = :id AND s.user_id = :user AND s.is_active AND u.is_active AND w.is_active""")
                .param("id", sessionId).param("user", userId)
                .query((rs, n) -> new ActiveIdentity(rs.getString("role"), rs.getObject("workspace_id", UUID.class),
                        rs.getString("team_role")))
                .optional();
    }

    public record ActiveIdentity(String role, UUID workspaceId, String teamRole) {
    }

    /**
     * Of these sessions, the ones still good as {@link #activeIdentity} judges them (session, user and workspace
     * active, the user still a member), each with the workspace its user acts in: one statement for many.
     */
    public Map<UUID, UUID> activeWorkspaces(Collection<UUID> sessionIds) {
        Map<UUID, UUID> active = new HashMap<>();
        jdbc.sql("""
                SELECT s.id, m.workspace_id
                  FROM user_sessions s JOIN users u ON u.id = s.user_id
                  JOIN team_members m ON m.user_id = u.id JOIN users w ON w.id = m.workspace_id
                 WHERE s.id = ANY(:ids) AND s.is_active AND u.is_active AND w.is_active""")
                .param("ids", sessionIds.toArray(UUID[]::new))
                .query(rs -> {
                    active.put(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class));
                });
        return active;
    }

    /** The session currently holding this refresh token, locked until the transaction ends. */
    public Optional<SessionRow> lockByRefreshToken(String refreshTokenHash) {
        return jdbc.sql("""
                SELECT id, user_id, is_active, refresh_expires_at FROM user_sessions
                 WHERE refresh_token_hash = :hash FOR UPDATE""")
                .param("hash", refreshTokenHash)
                .query((rs, n) -> new SessionRow(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getBoolean("is_active"), rs.getObject("refresh_expires_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** The session a refresh token belonged to before it was rotated away. */
    public Optional<UUID> sessionOfRotatedToken(String refreshTokenHash) {
        return jdbc.sql("SELECT session_id FROM rotated_refresh_tokens WHERE token_hash = :hash")
                .param("hash", refreshTokenHash).query(UUID.class).optional();
    }

    public void rotate(UUID sessionId, String oldRefreshHash, String newRefreshHash, String accessTokenIdHash,
            Instant accessExpiresAt) {
        jdbc.sql("INSERT INTO rotated_refresh_tokens (token_hash, session_id) VALUES (:hash, :session)")
                .param("hash", oldRefreshHash).param("session", sessionId).update();
        jdbc.sql("""
                UPDATE user_sessions SET refresh_token_hash = :refreshHash, token_hash = :tokenHash,
                       expires_at = :expiresAt, last_used_at = CURRENT_TIMESTAMP
                 WHERE id = :id""")
                .param("refreshHash", newRefreshHash).param("tokenHash", accessTokenIdHash)
                .param("expiresAt", utc(accessExpiresAt)).param("id", sessionId).update();
    }

    public int revoke(UUID sessionId) {
        return jdbc.sql("UPDATE user_sessions SET is_active = false WHERE id = :id AND is_active")
                .param("id", sessionId).update();
    }

    public int revokeAllOf(UUID userId) {
        return jdbc.sql("UPDATE user_sessions SET is_active = false WHERE user_id = :user AND is_active")
                .param("user", userId).update();
    }

    /** Ends every session of the user but {@code keep} (a password change keeps the session that made it). */
    public int revokeAllBut(UUID userId, UUID keep) {
        return jdbc.sql("UPDATE user_sessions SET is_active = false WHERE user_id = :user AND id <> :keep AND is_active")
                .param("user", userId).param("keep", keep).update();
    }

    /** Ends one live session of the user; 0 when it is not the user's or not live. */
    public int revokeOwn(UUID userId, UUID sessionId) {
        return jdbc.sql("""
                UPDATE user_sessions SET is_active = false
                 WHERE id = :id AND user_id = :user AND is_active AND refresh_expires_at > CURRENT_TIMESTAMP""")
                .param("id", sessionId).param("user", userId).update();
    }

    /** The user's live sessions (active, refresh token not expired), most recently used first. */
    public List<LiveSession> live(UUID userId, int limit, long offset) {
        return jdbc.sql("""
                SELECT id, host(ip_address) AS ip, user_agent, created_at, last_used_at, refresh_expires_at
                  FROM user_sessions
                 WHERE user_id = :user AND is_active AND refresh_expires_at > CURRENT_TIMESTAMP
                 ORDER BY last_used_at DESC, id
                 LIMIT :limit OFFSET :offset""")
                .param("user", userId).param("limit", limit).param("offset", offset)
                .query((rs, n) -> new LiveSession(rs.getObject("id", UUID.class), rs.getString("ip"),
                        rs.getString("user_agent"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_used_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("refresh_expires_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public long countLive(UUID userId) {
        return jdbc.sql("""
                SELECT count(*) FROM user_sessions
                 WHERE user_id = :user AND is_active AND refresh_expires_at > CURRENT_TIMESTAMP""")
                .param("user", userId).query(Long.class).single();
    }

    public record LiveSession(UUID id, String ip, String userAgent, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt) {
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    public record SessionRow(UUID id, UUID userId, boolean active, Instant refreshExpiresAt) {
    }
}
