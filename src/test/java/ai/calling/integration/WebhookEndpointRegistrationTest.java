package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * The SSRF guard at registration, with OUTBOUND_WEBHOOK_ALLOWED_NETWORKS empty (the default): a URL
 * whose host is or resolves to a loopback, private, link-local or metadata address is refused with 400.
 * (With 127.0.0.0/8 allowed, as in the other tests, the local receiver is accepted.) This instance
 * delivers nothing, so it cannot take the other tests' deliveries.
 */
@IntegrationTest
@TestPropertySource(properties = { "app.outbound-webhooks.allowed-networks=", "app.outbound-webhooks.deliver=false" })
class WebhookEndpointRegistrationTest {

    @LocalServerPort
    int port;

    @Test
    void internalAddressesAreRefusedWith400() {
        Http http = new Http(port);
        SignedIn user = TestUsers.register(http);
        for (String url : List.of("http://169.254.169.254/", "http://10.0.0.5/", "http://[::1]/", "http://localhost:8080/",
                "http://127.0.0.1/hook", "http://[::ffff:127.0.0.1]/", "http://192.168.1.10/", "https://[fd00:ec2::254]/",
                "http://0.0.0.0/")) {
            Http.Response refused = http.post("/api/webhook-endpoints", Map.of("url", url, "events",
                    List.of("call.completed")), user.auth());
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("url");
        }
        String created = http.post("/api/webhook-endpoints", Map.of("url", "https://93.184.216.34/hook", "events",
                List.of("call.completed")), user.auth()).body();
        assertThat(created).contains("whsec_");
        assertThat(http.get("/api/webhook-endpoints", user.auth()).json().path("totalItems").asLong()).isEqualTo(1);
        String id = http.get("/api/webhook-endpoints", user.auth()).json().path("items").get(0).path("id").asString();
        // a change of URL is checked the same way
        assertThat(http.patch("/api/webhook-endpoints/" + id, Map.of("url", "http://10.0.0.5/"), user.auth()).status())
                .isEqualTo(400);
    }
}
