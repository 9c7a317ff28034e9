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
 * Processing that keeps up with what arrives does not yield, however busy the journal is (decision
 * 0055): here it is told to yield whatever the journal's load (yield-above-load 0), with the smallest
 * share (1%) and the default 30 s lag bound, and a steady 200 deliveries a second, far within what it
 * applies at full speed, still waits no more than a moment. When it yielded to any busy journal, a
 * steady 1,500 a second (which keeps this machine's journal committing all the time) was held back to
 * a backlog of 8,000 events and a delay of 5.6 s; here the oldest delivery's age grew by the second.
 */
@IntegrationTest
class WebhookKeepingUpTest {

    static final String SECRET = "hook-secret-keeping-up";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.webhook-secret", () -> SECRET);
        registry.add("app.bolna.webhook-processing-share", () -> "0.01");
        registry.add("app.bolna.webhook-max-lag", () -> "30s");
        registry.add("app.bolna.webhook-yield-above-load", () -> "0");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void processingThatKeepsUpAppliesASteadyLoadAsItArrivesHoweverBusyTheJournal() throws Exception {
        Http http = new Http(port);
        String run = "keeping-up-" + System.nanoTime() + "-";
        Flood flood = PacedDeliveries.flood(http, jdbc, SECRET, run, 2, Duration.ofMillis(10), Duration.ofSeconds(8));
        assertThat(flood.posted()).as("deliveries posted").isGreaterThan(400);
        assertThat(flood.oldestAges()).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(1.5));
    }
}
