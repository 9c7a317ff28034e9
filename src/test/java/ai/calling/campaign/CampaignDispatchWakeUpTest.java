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
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
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
 * A call's end wakes the background dispatcher: with the platform full (one slot) and a pause between
 * idle rounds far longer than the test (CAMPAIGN_DISPATCH_INTERVAL 10 minutes), each recipient is
 * dialled as soon as the previous call's end has freed the slot. Without the wake-up the second dial
 * would wait for the pause.
 */
@IntegrationTest
class CampaignDispatchWakeUpTest {

    static final String SECRET = "hook-secret-wake";
    static final FakeBolna BOLNA = new FakeBolna();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestCampaigns.useBolna(registry, BOLNA, SECRET);
        registry.add("app.bolna.max-concurrent-calls", () -> "1");
        registry.add("app.campaigns.dispatch", () -> "true");
        registry.add("app.campaigns.interval", () -> "10m");
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(TestCampaigns.TUESDAY_EVENING_UTC);
        }
    }

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
    void eachCallsEndStartsTheNextDialWithoutWaitingForTheInterval() {
        Leftovers.clear(context);
        BOLNA.reset();
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET);
        BOLNA.callLength(Duration.ofMillis(100));
        Http http = new Http(port);
        SignedIn user = TestUsers.register(http);
        TestCredits.setBalance(jdbc, user.id(), 100_000);
        String agent = TestCampaigns.agent(http, user, "Wake", 60).path("id").asString();
        String campaign = TestCampaigns.campaign(http, user, agent, "Wake", "America/New_York",
                TestCampaigns.window("08:00", "20:00", List.of("TUE")), 1);
        TestCampaigns.addAndStart(http, user, campaign, TestCampaigns.numbers("+1415", 3_100_000, 3));

        // the loop is in its 10-minute pause: the first dial is this round's, the others follow calls' ends
        dispatcher.dispatchOnce();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("SELECT status FROM campaigns WHERE id = ?::uuid", String.class, campaign)
                        .equals("completed")
                        || jdbc.queryForObject("SELECT count(*) FROM campaign_recipients WHERE campaign_id = ?::uuid "
                                + "AND status = 'completed'", Long.class, campaign) == 3);
        assertThat(BOLNA.dials()).hasSize(3);
        assertThat(BOLNA.maxInFlightTotal()).isEqualTo(1);
    }
}
