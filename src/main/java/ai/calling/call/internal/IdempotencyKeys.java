package ai.calling.call.internal;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stored first answers per (user, Idempotency-Key), valid 24 hours. */
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
                SELECT request_hash, response_status, response_body::text FROM idempotency_keys
                 WHERE user_id = :user AND idempotency_key = :key AND created_at > now() - interval '24 hours'""")
                .param("user", userId).param("key", key)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getInt(2), rs.getString(3))).optional();
    }

    public void save(UUID userId, String key, String requestHash, int status, String body) {
        jdbc.sql("""
                INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_status, response_body)
                VALUES (:user, :key, :hash, :status, CAST(:body AS jsonb))
                ON CONFLICT (user_id, idempotency_key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
                    response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
                    created_at = CURRENT_TIMESTAMP""")
                .param("user", userId).param("key", key).param("hash", requestHash).param("status", status)
                .param("body", body).update();
    }

    public record Stored(String requestHash, int status, String body) {
    }
}
