package ai.calling.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.PacedDeliveries;
import ai.calling.support.PacedDeliveries.Flood;

/**
 * A steady load the journal writes at ease is applied as it arrives: processing yields to deliveries
 * only while the journal's writer is busy (a burst), so even with the smallest processing share (1%)
 * and the default 30 s lag bound, no delivery waits more than a moment. When processing yielded to
 * every delivery, whatever the load, 1% of the time fell behind a steady 50 a second and events waited
 * for the lag bound (30 s) before they were applied, their calls' slots and credits held meanwhile.
 */
@IntegrationTest
class WebhookSteadyLoadTest {

    static final String SECRET = "hook-secret-steady";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.webhook-secret", () -> SECRET);
        registry.add("app.bolna.webhook-processing-share", () -> "0.01");
        registry.add("app.bolna.webhook-max-lag", () -> "30s");
        // the default is 0.5: a margin for a test machine whose commits are slow under other builds
        registry.add("app.bolna.webhook-yield-above-load", () -> "0.8");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSteadyLoadIsAppliedAsItArrivesWhateverTheProcessingShare() throws Exception {
        Http http = new Http(port);
        String run = "steady-" + System.nanoTime() + "-";
        // a steady 50 a second: far within what the journal writes, beyond what 1% of the time applies
        Flood flood = PacedDeliveries.flood(http, jdbc, SECRET, run, 1, Duration.ofMillis(20), Duration.ofSeconds(8));
        assertThat(flood.posted()).as("deliveries posted").isGreaterThan(200);
        assertThat(flood.oldestAges()).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(1.5));
    }
}
