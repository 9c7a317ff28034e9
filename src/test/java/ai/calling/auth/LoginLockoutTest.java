package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;

/** Five wrong passwords lock the address out, for known and unknown e-mails alike. */
@IntegrationTest
class LoginLockoutTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void fiveWrongPasswordsThenTheRightOneAnswers429WithRetryAfter() {
        Http http = new Http(port);
        TestUsers.SignedIn user = TestUsers.register(http);

        for (int i = 0; i < 5; i++) {
            Http.Response wrong = http.post("/api/auth/login", Map.of("email", user.email(), "password", "Wrong-pass-" + i));
            assertThat(wrong.status()).isEqualTo(401);
        }
        Http.Response locked = http.post("/api/auth/login", Map.of("email", user.email(), "password", TestUsers.PASSWORD));

        assertThat(locked.status()).isEqualTo(429);
        assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 15 * 60L + 1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM login_attempts WHERE email = ? AND NOT success",
                Long.class, user.email())).isEqualTo(5);
    }

    @Test
    void anUnknownEmailIsAnsweredAndLockedExactlyTheSameWay() {
        Http http = new Http(port);
        String unknown = "nobody-" + UUID.randomUUID() + "@example.test";
        TestUsers.SignedIn known = TestUsers.register(http);

        Http.Response unknownAnswer = http.post("/api/auth/login", Map.of("email", unknown, "password", "Whatever-123"));
        Http.Response knownAnswer = http.post("/api/auth/login", Map.of("email", known.email(), "password", "Whatever-123"));
        assertThat(unknownAnswer.status()).isEqualTo(knownAnswer.status()).isEqualTo(401);
        assertThat(unknownAnswer.json().path("detail").asString()).isEqualTo(knownAnswer.json().path("detail").asString());

        for (int i = 0; i < 4; i++) {
            http.post("/api/auth/login", Map.of("email", unknown, "password", "Whatever-123"));
        }
        Http.Response locked = http.post("/api/auth/login", Map.of("email", unknown, "password", "Whatever-123"));
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.header("Retry-After")).isNotBlank();
    }
}
