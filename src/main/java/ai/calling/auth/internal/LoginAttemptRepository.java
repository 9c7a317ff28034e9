package ai.calling.auth.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** login_attempts: one row per attempt, the evidence the lockout rule counts. */
@Repository
public class LoginAttemptRepository {

    public static final String INVALID_CREDENTIALS = "invalid_credentials";

    private final JdbcClient jdbc;

    LoginAttemptRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String email, String ip, boolean success, String failureReason) {
        jdbc.sql("""
                INSERT INTO login_attempts (email, ip_address, success, failure_reason)
                VALUES (:email, CAST(:ip AS inet), :success, :reason)""")
                .param("email", email).param("ip", ip).param("success", success).param("reason", failureReason)
                .update();
    }

    /**
     * Times of the most recent credential failures for this email since {@code since} and after its
     * last successful sign-in, newest first, at most {@code limit}.
     */
    public List<Instant> recentFailures(String email, Instant since, int limit) {
        return jdbc.sql("""
                SELECT attempted_at FROM login_attempts
                 WHERE email = :email AND NOT success AND failure_reason = :reason
                   AND attempted_at > GREATEST(:since, COALESCE(
                       (SELECT max(attempted_at) FROM login_attempts WHERE email = :email AND success), '-infinity'))
                 ORDER BY attempted_at DESC
                 LIMIT :limit""")
                .param("email", email).param("reason", INVALID_CREDENTIALS)
                .param("since", since.atOffset(ZoneOffset.UTC)).param("limit", limit)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list();
    }
}
