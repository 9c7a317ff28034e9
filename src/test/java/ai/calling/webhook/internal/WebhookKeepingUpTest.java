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
 * Processing yields only to a burst it cannot keep up with (decision 0055): told to yield whatever the
 * journal's load (yield-above-load 0), with the smallest share (1%) and the default 30 s lag bound, it
 * applies a steady 200 deliveries a second as they arrive when it applies 1,000 a second at full speed,
 * and yields to the same stream (the oldest delivery ages by the second) when it applies only 50. When
 * it yielded to any busy journal, a steady 1,500 a second (which keeps this machine's journal committing
 * all the time) was held back to a backlog of 8,000 events and a delay of 5.6 s.
 */
@IntegrationTest
class WebhookKeepingUpTest {

    static final String SECRET = "hook-secret-keeping-up";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        PacedDeliveries.yieldingProcessing(registry, SECRET, "30s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    WebhookProcessors processors;

    @Test
    void processingThatKeepsUpAppliesASteadyLoadAsItArrivesHoweverBusyTheJournal() throws Exception {
        processors.assumeFullSpeed(1000);
        Flood flood = flood("keeping-up-");
        assertThat(flood.oldestAges()).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(1.5));
    }

    @Test
    void processingYieldsToAStreamFasterThanItAppliesAtFullSpeed() throws Exception {
        processors.assumeFullSpeed(50);
        Flood flood = flood("burst-");
        assertThat(flood.oldestAges()).isNotEmpty();
        assertThat(flood.oldestAges().getLast()).as("the oldest delivery's age at the end").isGreaterThan(3.0);
    }

    /** 2 x 100 deliveries a second for 8 s, each cheap to apply (an agent of another platform: ignored). */
    private Flood flood(String prefix) throws Exception {
        Flood flood = PacedDeliveries.flood(new Http(port), jdbc, SECRET, prefix + System.nanoTime() + "-", 2,
                Duration.ofMillis(10), Duration.ofSeconds(8));
        assertThat(flood.posted()).as("deliveries posted").isGreaterThan(400);
        return flood;
    }
}
