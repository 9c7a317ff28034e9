package ai.calling.auth.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import ai.calling.auth.ApiKeys.ApiKeyView;

/** api_keys: hashes of customers' API keys, found by their prefix. */
@Repository
public class ApiKeyRepository {

    private static final String COLUMNS = "id, name, prefix, created_at, last_used_at";

    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a key; empty when its prefix is taken (a collision of random prefixes: the caller draws again). */
    public Optional<ApiKeyView> insert(UUID userId, UUID createdBy, String name, String prefix, String keyHash) {
        return jdbc.sql("INSERT INTO api_keys (user_id, created_by, name, prefix, key_hash) "
                + "VALUES (:user, :createdBy, :name, :prefix, :hash) ON CONFLICT (prefix) DO NOTHING RETURNING " + COLUMNS)
                .param("user", userId).param("createdBy", createdBy).param("name", name).param("prefix", prefix)
                .param("hash", keyHash)
                .query(ApiKeyRepository::view).optional();
    }

    /** Locks the owner's row so that concurrent creations count the keys one after the other. */
    public int lockAndCountActive(UUID userId) {
        jdbc.sql("SELECT id FROM users WHERE id = :user FOR UPDATE").param("user", userId).query(UUID.class).optional();
        return jdbc.sql("SELECT count(*) FROM api_keys WHERE user_id = :user AND revoked_at IS NULL")
                .param("user", userId).query(Integer.class).single();
    }

    /**
     * The unrevoked key with this prefix, when its workspace is active and the member who created
     * it is still an active member of that workspace, with that member's current role.
     */
    public Optional<StoredKey> findUsable(String prefix) {
        return jdbc.sql("""
                SELECT k.id, k.user_id, k.created_by, m.team_role, k.key_hash, k.last_used_at
                  FROM api_keys k JOIN users u ON u.id = k.user_id
                  JOIN team_members m ON m.user_id = k.created_by AND m.workspace_id = k.user_id
                  JOIN users c ON c.id = k.created_by
                 WHERE k.prefix = :prefix AND k.revoked_at IS NULL AND u.is_active AND c.is_active""")
                .param("prefix", prefix)
                .query((rs, n) -> new StoredKey(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class),
                        rs.getObject("created_by", UUID.class), rs.getString("team_role"), rs.getString("key_hash"),
                        instant(rs, "last_used_at")))
                .optional();
    }

    /** Of these keys, the ones {@link #findUsable} would still accept (unrevoked, workspace and creator active). */
    public Set<UUID> usable(Collection<UUID> keyIds) {
        return new HashSet<>(jdbc.sql("""
                SELECT k.id
                  FROM api_keys k JOIN users u ON u.id = k.user_id
                  JOIN team_members m ON m.user_id = k.created_by AND m.workspace_id = k.user_id
                  JOIN users c ON c.id = k.created_by
                 WHERE k.id = ANY(:ids) AND k.revoked_at IS NULL AND u.is_active AND c.is_active""")
                .param("ids", keyIds.toArray(UUID[]::new)).query(UUID.class).list());
    }

    /** Records a use, unless one was recorded within the last minute (by any instance). */
    public void touch(UUID keyId, Instant now) {
        jdbc.sql("""
                UPDATE api_keys SET last_used_at = :now
                 WHERE id = :id AND (last_used_at IS NULL OR last_used_at <= :now - INTERVAL '1 minute')""")
                .param("now", now.atOffset(ZoneOffset.UTC)).param("id", keyId).update();
    }

    public boolean revoke(UUID userId, UUID keyId) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP WHERE id = :id AND user_id = :user "
                + "AND revoked_at IS NULL").param("id", keyId).param("user", userId).update() > 0;
    }

    /** Revokes every key of this owner (its account is being closed). */
    public int revokeAll(UUID userId) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP WHERE user_id = :user AND revoked_at IS NULL")
                .param("user", userId).update();
    }

    /** Revokes every key a member created (they are leaving the workspace). */
    public int revokeCreatedBy(UUID memberId) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = CURRENT_TIMESTAMP WHERE created_by = :member "
                + "AND revoked_at IS NULL").param("member", memberId).update();
    }

    public long countActive(UUID userId) {
        return jdbc.sql("SELECT count(*) FROM api_keys WHERE user_id = :user AND revoked_at IS NULL")
                .param("user", userId).query(Long.class).single();
    }

    /** The owner's unrevoked keys, newest first. */
    public List<ApiKeyView> page(UUID userId, int limit, long offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE user_id = :user AND revoked_at IS NULL "
                + "ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .param("user", userId).param("limit", limit).param("offset", offset)
                .query(ApiKeyRepository::view).list();
    }

    private static ApiKeyView view(ResultSet rs, int n) throws SQLException {
        return new ApiKeyView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("prefix"),
                instant(rs, "created_at"), instant(rs, "last_used_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public record StoredKey(UUID id, UUID userId, UUID createdBy, String teamRole, String keyHash, Instant lastUsedAt) {
    }
}
