package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.MutableClock;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * Fair sharing of Bolna's account concurrency (the platform cap, 4 here) between tenants: a tenant
 * with 1,000 recipients and one with 10 each get 2 slots from the first round on, while both have
 * work; the big one gets all 4 once the small one is done.
 */
@IntegrationTest
class CampaignFairnessTest {

    static final String SECRET = "hook-secret-fair";
    static final FakeBolna BOLNA = new FakeBolna();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.api-key", () -> "bn-key");
        registry.add("app.bolna.base-url", BOLNA::baseUrl);
        registry.add("app.bolna.webhook-secret", () -> SECRET);
        registry.add("app.bolna.max-concurrent-calls", () -> "4");
        registry.add("app.campaigns.dispatch", () -> "false");
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(CampaignsTest.TUESDAY_EVENING_UTC);
        }
    }

    @AfterAll
    static void stop() {
        BOLNA.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    CampaignDispatcher dispatcher;

    @Test
    void aSmallTenantGetsItsShareFromTheFirstRoundWhileABigOneKeepsTheRest() {
        BOLNA.reset();
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET);
        // calls go on until the test ends them
        BOLNA.callLength(Duration.ofHours(1));
        Http http = new Http(port);
        Tenant big = tenant(http, 1000, 0);
        Tenant small = tenant(http, 10, 5000);

        for (int round = 1; round <= 5; round++) {
            dispatcher.dispatchOnce();
            assertThat(BOLNA.inFlight(big.bolnaAgent())).as("round %d, big", round).isEqualTo(2);
            assertThat(BOLNA.inFlight(small.bolnaAgent())).as("round %d, small", round).isEqualTo(2);
            dispatcher.dispatchOnce();
            assertThat(BOLNA.inFlightTotal()).as("the platform cap holds").isEqualTo(4);
            endCalls(List.of(big, small));
        }

        assertThat(jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class, small.campaign()))
                .isEqualTo("running");
        dispatcher.dispatchOnce();
        assertThat(jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class, small.campaign()))
                .isEqualTo("completed");
        assertThat(BOLNA.inFlight(big.bolnaAgent())).as("alone, the big tenant takes every slot").isEqualTo(4);
        assertThat(BOLNA.maxInFlightTotal()).isEqualTo(4);
        endCalls(List.of(big));
    }

    private void endCalls(List<Tenant> tenants) {
        BOLNA.finishRinging();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
                tenants.stream().allMatch(tenant -> jdbc.queryForObject("SELECT count(*) FROM campaign_recipients "
                        + "WHERE campaign_id = ?::uuid AND status = 'in_progress'", Long.class, tenant.campaign()) == 0));
    }

    private record Tenant(SignedIn user, String campaign, String bolnaAgent) {
    }

    /** A tenant with a running campaign of {@code recipients} San Francisco numbers, 10 calls at a time. */
    private Tenant tenant(Http http, int recipients, int firstNumber) {
        SignedIn user = TestUsers.register(http);
        TestCredits.setBalance(jdbc, user.id(), 100_000);
        jdbc.update("UPDATE users SET max_concurrent_calls = 100 WHERE id = ?", user.id());
        var agent = http.post("/api/agents", Map.of("name", "Fair", "welcomeMessage", "Hi", "systemPrompt", "Be brief.",
                "maxCallDurationSeconds", 60), user.auth()).json();
        String campaign = http.post("/api/campaigns", Map.of("name", "Share", "agentId", agent.path("id").asString(),
                "timezone", "America/New_York", "callingWindow", Map.of("start", "08:00", "end", "20:00", "days",
                        List.of("TUE")), "maxConcurrentCalls", 10), user.auth()).json().path("id").asString();
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            numbers.add("+1415" + (3_000_000 + firstNumber + i));
        }
        http.post("/api/campaigns/" + campaign + "/recipients", Map.of("phoneNumbers", numbers), user.auth());
        http.post("/api/campaigns/" + campaign + "/start", "", user.auth());
        return new Tenant(user, campaign, agent.path("bolnaAgentId").asString());
    }
}
