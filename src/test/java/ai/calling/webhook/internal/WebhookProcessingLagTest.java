package ai.calling.webhook.internal;

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
 * Under a sustained flood of deliveries that processing yields to (here an extreme share of 1%, and
 * processing taken to apply 50 a second at full speed, so that 200 a second is a burst), it still keeps
 * up once the oldest stored delivery has waited BOLNA_WEBHOOK_MAX_LAG: the age of the oldest
 * unprocessed delivery stays bounded instead of growing with the flood. Without the lag bound, 1% of
 * the time applies a fraction of what arrives and the age grows by the second.
 */
@IntegrationTest
class WebhookProcessingLagTest {

    static final String SECRET = "hook-secret-lag";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        // yield whenever deliveries arrive, however light the journal's load: the lag bound alone keeps up
        PacedDeliveries.yieldingProcessing(registry, SECRET, "300ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookProcessors processors;

    @Test
    void theOldestUnprocessedDeliveryStaysYoungUnderASustainedFlood() throws Exception {
        Http http = new Http(port);
        processors.assumeFullSpeed(50);
        String run = "lag-" + System.nanoTime() + "-";
        // an offered load at a fixed rate (2 x 100 a second), well within what full-speed processing
        // applies, far beyond what 1% of the time applies
        Flood flood = PacedDeliveries.flood(http, jdbc, SECRET, run, 2, Duration.ofMillis(10), Duration.ofSeconds(8));
        assertThat(flood.posted()).as("deliveries posted").isGreaterThan(400);
        assertThat(flood.oldestAges()).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(2.5));
    }
}
