package ai.calling.auth.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Single-use mailed tokens (password reset, e-mail verification), stored as SHA-256 only. */
@Repository
public class AuthTokenRepository {

    public static final String PASSWORD_RESET = "password_reset";
    public static final String EMAIL_VERIFICATION = "email_verification";

    private final JdbcClient jdbc;

    AuthTokenRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void create(UUID userId, String purpose, String tokenHash, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO auth_tokens (user_id, purpose, token_hash, expires_at)
                VALUES (:user, :purpose, :hash, :expiresAt)""")
                .param("user", userId).param("purpose", purpose).param("hash", tokenHash)
                .param("expiresAt", expiresAt.atOffset(ZoneOffset.UTC)).update();
    }

    /**
     * Uses the token if it is of this purpose, unexpired and unused, returning its user. One atomic
     * statement: of two concurrent uses exactly one succeeds.
     */
    public Optional<UUID> consume(String purpose, String tokenHash) {
        return jdbc.sql("""
                UPDATE auth_tokens SET used_at = CURRENT_TIMESTAMP
                 WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > CURRENT_TIMESTAMP
                RETURNING user_id""")
                .param("hash", tokenHash).param("purpose", purpose).query(UUID.class).optional();
    }

    /** Earlier unused tokens of this purpose stop working when a new one is issued. */
    public void retireUnused(UUID userId, String purpose) {
        jdbc.sql("""
                UPDATE auth_tokens SET used_at = CURRENT_TIMESTAMP
                 WHERE user_id = :user AND purpose = :purpose AND used_at IS NULL""")
                .param("user", userId).param("purpose", purpose).update();
    }

    /** Reset requests recorded for this e-mail, and from this address, since {@code since}. */
    public RecentRequests resetRequestsSince(String email, String ip, Instant since) {
        OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
        long byEmail = jdbc.sql("SELECT count(*) FROM password_reset_attempts WHERE email = :email AND attempted_at > :since")
                .param("email", email).param("since", from).query(Long.class).single();
        long byIp = ip == null ? 0 : jdbc.sql("""
                SELECT count(*) FROM password_reset_attempts WHERE ip_address = CAST(:ip AS inet) AND attempted_at > :since""")
                .param("ip", ip).param("since", from).query(Long.class).single();
        return new RecentRequests(byEmail, byIp);
    }

    public void recordResetRequest(String email, String ip, boolean issued) {
        jdbc.sql("""
                INSERT INTO password_reset_attempts (email, ip_address, success)
                VALUES (:email, CAST(:ip AS inet), :issued)""")
                .param("email", email).param("ip", ip).param("issued", issued).update();
    }

    public record RecentRequests(long byEmail, long byIp) {
    }
}
