package ai.calling.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;

/**
 * BOLNA_WEBHOOK_ALLOWED_IPS: only listed client addresses are accepted, and X-Forwarded-For names the
 * client only when the peer sending it is a configured trusted proxy (Tomcat's RemoteIpValve:
 * {@code server.forward-headers-strategy=native}, {@code server.tomcat.remoteip.internal-proxies}).
 */
class BolnaWebhookAllowListTest {

    static final String SECRET = "allow-list-secret";
    static final String BOLNA_ADDRESS = "10.7.7.7";

    static void common(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.webhook-secret", () -> SECRET);
        registry.add("app.bolna.webhook-allowed-ips", () -> BOLNA_ADDRESS);
        registry.add("server.forward-headers-strategy", () -> "native");
    }

    abstract static class Base {

        @LocalServerPort
        int port;

        @Autowired
        JdbcTemplate jdbc;

        int post(String... headers) {
            String execution = "allow-" + UUID.randomUUID();
            int status = new Http(port).post("/api/webhooks/bolna?token=" + SECRET,
                    "{\"id\":\"" + execution + "\",\"agent_id\":\"nobody\",\"status\":\"ringing\"}", headers).status();
            long stored = jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events WHERE execution_id = ?",
                    Long.class, execution);
            assertThat(stored).as("stored exactly when accepted").isEqualTo(status == 200 ? 1 : 0);
            return status;
        }
    }

    @Nested
    @IntegrationTest
    class BehindNoTrustedProxy extends Base {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            common(registry);
            // the test client connects from loopback, which is not a trusted proxy here
            registry.add("server.tomcat.remoteip.internal-proxies", () -> "10\\.99\\.99\\.99");
        }

        @Test
        void anAddressNotListedIsRefusedAndAForgedForwardedForChangesNothing() {
            assertThat(post()).isEqualTo(401);
            assertThat(post("X-Forwarded-For", BOLNA_ADDRESS)).isEqualTo(401);
        }
    }

    @Nested
    @IntegrationTest
    class BehindATrustedProxy extends Base {

        @DynamicPropertySource
        static void properties(DynamicPropertyRegistry registry) {
            common(registry);
            registry.add("server.tomcat.remoteip.internal-proxies", () -> "127\\.0\\.0\\.1|0:0:0:0:0:0:0:1");
        }

        @Test
        void theProxyNamesTheClientAndOnlyTheListedOneIsAccepted() {
            assertThat(post("X-Forwarded-For", BOLNA_ADDRESS)).isEqualTo(200);
            assertThat(post("X-Forwarded-For", "10.8.8.8")).isEqualTo(401);
            assertThat(post()).isEqualTo(401);
        }
    }
}
