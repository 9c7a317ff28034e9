package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.awaitility.Awaitility;
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
 * Deliveries that do not fit in the processing queue are stored and acknowledged all the same, and
 * processing reads them back from the database once it has caught up with the queue: they are not left
 * to the sweep (500 every 30 s, which does not run here at all: the scheduled jobs are off in tests). A
 * queue of 5 and processing that yields to the flood (it is taken to apply 50 a second) make most of 800
 * deliveries overflow.
 */
@IntegrationTest
class WebhookQueueOverflowTest {

    static final String SECRET = "hook-secret-overflow";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        PacedDeliveries.yieldingProcessing(registry, SECRET, "30s");
        registry.add("app.bolna.webhook-queue-capacity", () -> "5");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookProcessors processors;

    @Test
    void deliveriesBeyondTheQueueAreAppliedOnceProcessingHasCaughtUp() throws Exception {
        processors.assumeFullSpeed(50);
        String run = "overflow-" + System.nanoTime() + "-";
        Flood flood = PacedDeliveries.flood(new Http(port), jdbc, SECRET, run, 2, Duration.ofMillis(10),
                Duration.ofSeconds(4));
        assertThat(flood.posted()).isGreaterThan(300);
        assertThat(flood.oldestAges().getLast()).as("the flood outran processing").isGreaterThan(1.0);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> unapplied(run) == 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events WHERE execution_id LIKE ? "
                + "AND state = 'ignored'", Long.class, run + "%")).as("each applied (ignored: not our agent)")
                .isEqualTo(flood.posted());
    }

    private long unapplied(String run) {
        return jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events WHERE execution_id LIKE ? "
                + "AND state = 'received'", Long.class, run + "%");
    }
}
