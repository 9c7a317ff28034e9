package ai.calling.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import ai.calling.common.mail.LoggingMailer;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Issue 20, point 8: the metrics are not public (an admin or the scrape token on the API port, or
 * the separate management port), and a name with line breaks never reaches a mail.
 */
class OperationalExposureTest {

    @Nested
    @IntegrationTest
    class OnTheApiPort {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        LoggingMailer mailer;

        @Test
        void metricsNeedAnAdminOrTheScrapeToken() {
            Http http = new Http(port);
            SignedIn user = TestUsers.register(http);
            SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "admin");

            Http.Response anonymous = http.get("/actuator/prometheus");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.contentType()).startsWith("application/problem+json");
            assertThat(http.get("/actuator/prometheus", Http.bearer("not-the-token")).status()).isEqualTo(401);
            assertThat(http.get("/actuator/prometheus", user.auth()).status()).isEqualTo(403);
            Http.Response scraped = http.get("/actuator/prometheus", Http.bearer(IntegrationTest.SCRAPE_TOKEN));
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("http_server_requests_seconds");
            assertThat(http.get("/actuator/prometheus", admin.auth()).status()).isEqualTo(200);
            assertThat(http.get("/actuator/health").status()).isEqualTo(200);
        }

        @Test
        void aNameWithLineBreaksIsRefusedAndNothingIsMailed() {
            Http http = new Http(port);
            String email = "crlf-" + System.nanoTime() + "@example.test";

            Http.Response answer = http.post("/api/auth/register", Map.of("email", email, "password", TestUsers.PASSWORD,
                    "name", "Bob\r\nBcc: victim@example.test"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asString()).isEqualTo("name");
            assertThat(mailer.recent()).noneMatch(mail -> mail.to().equals(email));
        }
    }

    @Nested
    @IntegrationTest
    @TestPropertySource(properties = "management.server.port=0")
    class OnASeparateManagementPort {

        @LocalServerPort
        int port;

        @LocalManagementPort
        int managementPort;

        @Test
        void metricsAreServedThereOnlyAndOpenly() {
            Http.Response scraped = new Http(managementPort).get("/actuator/prometheus");
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body()).contains("jvm_memory_used_bytes");
            assertThat(new Http(port).get("/actuator/prometheus", Http.bearer(IntegrationTest.SCRAPE_TOKEN)).status())
                    .isEqualTo(404);
        }
    }
}
