package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;

/** One client address gets a bounded number of auth requests per minute, then 429 with Retry-After. */
@IntegrationTest
@TestPropertySource(properties = "app.security.auth-requests-per-minute=3")
class AuthRateLimitTest {

    @LocalServerPort
    int port;

    @Test
    void theFourthAuthRequestInAMinuteIsRateLimited() {
        Http http = new Http(port);
        Map<String, String> body = Map.of("email", "rate@example.test", "password", "Whatever-123");
        for (int i = 0; i < 3; i++) {
            assertThat(http.post("/api/auth/login", body).status()).isEqualTo(401);
        }

        Http.Response limited = http.post("/api/auth/login", body);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 61L);
        // other paths are not limited
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
    }
}
