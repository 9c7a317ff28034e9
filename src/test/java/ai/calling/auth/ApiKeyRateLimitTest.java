package ai.calling.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** Each API key has its own bucket: past it, 429 with Retry-After; another key of the same owner is unaffected. */
@IntegrationTest
@TestPropertySource(properties = "app.api-keys.requests-per-minute=3")
class ApiKeyRateLimitTest {

    @LocalServerPort
    int port;

    @Test
    void theFourthRequestWithAKeyInAMinuteIsRateLimited() {
        Http http = new Http(port);
        SignedIn owner = TestUsers.register(http);
        String key = http.post("/api/api-keys", Map.of("name", "one"), owner.auth()).json().path("key").asString();
        String otherKey = http.post("/api/api-keys", Map.of("name", "two"), owner.auth()).json().path("key").asString();
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/api/calls", Http.bearer(key)).status()).isEqualTo(200);
        }

        Http.Response limited = http.get("/api/calls", Http.bearer(key));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 61L);
        assertThat(http.get("/api/calls", Http.bearer(otherKey)).status()).isEqualTo(200);
        // a signed-in session of the same owner is not limited by its keys
        assertThat(http.get("/api/calls", owner.auth()).status()).isEqualTo(200);
    }
}
