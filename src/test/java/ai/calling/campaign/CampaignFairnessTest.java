package ai.calling.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.Leftovers;
import ai.calling.support.MutableClock;
import ai.calling.support.TestCampaigns;
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
        TestCampaigns.useBolna(registry, BOLNA, SECRET);
        registry.add("app.bolna.max-concurrent-calls", () -> "4");
        registry.add("app.campaigns.dispatch", () -> "false");
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(TestCampaigns.TUESDAY_EVENING_UTC);
        }
    }

    /** Nothing of this class keeps dialling into the next one (they share the database). */
    @AfterEach
    void leaveNothingRunning() {
        Leftovers.clear(context);
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
    ApplicationContext context;

    @Autowired
    CampaignDispatcher dispatcher;

    @Test
    void aSmallTenantGetsItsShareFromTheFirstRoundWhileABigOneKeepsTheRest() {
        Leftovers.clear(context);
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
        http.post("/api/campaigns/" + big.campaign() + "/cancel", "", big.user().auth());
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
        var agent = TestCampaigns.agent(http, user, "Fair", 60);
        String campaign = TestCampaigns.campaign(http, user, agent.path("id").asString(), "Share", "America/New_York",
                TestCampaigns.window("08:00", "20:00", List.of("TUE")), 10);
        TestCampaigns.addAndStart(http, user, campaign, TestCampaigns.numbers("+1415", 3_000_000 + firstNumber,
                recipients));
        return new Tenant(user, campaign, agent.path("bolnaAgentId").asString());
    }
}
