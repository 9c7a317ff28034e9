package ai.calling.call.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Idempotency-Keys of POST /api/calls, valid 24 hours. A key is reserved, naming its recorded call,
 * in the transaction that records the dial, and completed with the answer once Bolna's outcome is
 * known: every outcome (placed, unconfirmed, refused) is remembered, so a repeat never dials again.
 */
@Repository
public class IdempotencyKeys {

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Serialises requests with the same key until the transaction ends. */
    public void lock(UUID userId, String key) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))").param("k", userId + ":" + key)
                .query().singleValue();
    }

    public Optional<Stored> find(UUID userId, String key) {
        return jdbc.sql("""
                SELECT request_hash, response_status, response_body::text, call_id, completed_at IS NOT NULL
                  FROM idempotency_keys
                 WHERE user_id = :user AND idempotency_key = :key AND created_at > now() - interval '24 hours'""")
                .param("user", userId).param("key", key)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3),
                        rs.getObject(4, UUID.class), rs.getBoolean(5)))
                .optional();
    }

    /** Remembers the key for a dial that is being placed (an expired row for the same key is replaced). */
    public void reserve(UUID userId, String key, String requestHash, UUID callId) {
        jdbc.sql("""
                INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_status, response_body,
                                              call_id, completed_at)
                VALUES (:user, :key, :hash, 202, '{}'::jsonb, :call, NULL)
                ON CONFLICT (user_id, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                    response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
                    call_id = EXCLUDED.call_id, completed_at = NULL, created_at = CURRENT_TIMESTAMP""")
                .param("user", userId).param("key", key).param("hash", requestHash).param("call", callId).update();
    }

    /** The answer the dial ended with: replayed for every repeat of the key. */
    public void complete(UUID userId, String key, int status, String body) {
        jdbc.sql("""
                UPDATE idempotency_keys SET response_status = :status, response_body = CAST(:body AS jsonb),
                       completed_at = CURRENT_TIMESTAMP
                 WHERE user_id = :user AND idempotency_key = :key""")
                .param("user", userId).param("key", key).param("status", status).param("body", body).update();
    }

    /**
     * Forgets the key of a dial that was never placed (Bolna, or our own connection pool, answered "too
     * many calls"): nothing is kept, so the same key may be used again (CallService's contract).
     */
    public void release(UUID userId, String key) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE user_id = :user AND idempotency_key = :key")
                .param("user", userId).param("key", key).update();
    }

    /** {@code completed} false: the dial is still on its way. */
    public record Stored(String requestHash, int status, String body, UUID callId, boolean completed) {
    }
}
