package ai.calling.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.call.Dialer;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.PacedDeliveries;
import ai.calling.support.PacedDeliveries.Flood;

/**
 * While dials wait for a platform slot (the campaign dispatcher reports it each round in which it
 * wants more than are free), processing does not yield to arriving deliveries: a call's end frees its
 * slot only once applied. Under a sustained flood that is a burst for it (processing taken to apply 50
 * a second at full speed, 200 a second arriving, yielding whatever the journal's load), with an extreme
 * share of 1% and a lag bound far beyond the test, the oldest unprocessed delivery stays young; without
 * the rule it would age by the second (as WebhookKeepingUpTest shows for a burst).
 */
@IntegrationTest
class WebhookProcessingForWaitingDialsTest {

    static final String SECRET = "hook-secret-waiting-dials";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        PacedDeliveries.yieldingProcessing(registry, SECRET, "10m");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Dialer dialer;

    @Autowired
    WebhookProcessors processors;

    @Test
    void theOldestUnprocessedDeliveryStaysYoungWhileDialsWaitForSlots() throws Exception {
        Http http = new Http(port);
        processors.assumeFullSpeed(50);
        String run = "waiting-" + System.nanoTime() + "-";
        // beside the flood, what the dispatcher does in every round that finds the platform full
        Flood flood = PacedDeliveries.flood(http, jdbc, SECRET, run, 2, Duration.ofMillis(10), Duration.ofSeconds(8),
                () -> {
                    dialer.dialsAwaitSlots();
                    Thread.sleep(500);
                });
        assertThat(flood.posted()).as("deliveries posted").isGreaterThan(400);
        assertThat(flood.oldestAges()).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(2.5));
    }
}
