package ai.calling.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;

/**
 * Under a sustained flood of deliveries, processing that yields to them (here an extreme share of
 * 1%) still keeps up once the oldest stored delivery has waited BOLNA_WEBHOOK_MAX_LAG: the age of
 * the oldest unprocessed delivery stays bounded instead of growing with the flood. Without the lag
 * bound, 1% of the time applies a fraction of what arrives and the age grows by the second.
 */
@IntegrationTest
class WebhookProcessingLagTest {

    static final String SECRET = "hook-secret-lag";

    @DynamicPropertySource
    static void bolna(DynamicPropertyRegistry registry) {
        registry.add("app.bolna.webhook-secret", () -> SECRET);
        registry.add("app.bolna.webhook-processing-share", () -> "0.01");
        registry.add("app.bolna.webhook-max-lag", () -> "300ms");
        // yield whenever deliveries arrive, however light the journal's load: the lag bound alone keeps up
        registry.add("app.bolna.webhook-yield-above-load", () -> "0");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theOldestUnprocessedDeliveryStaysYoungUnderASustainedFlood() throws Exception {
        Http http = new Http(port);
        String run = "lag-" + System.nanoTime() + "-";
        ExecutorService flood = Executors.newFixedThreadPool(2);
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        List<Future<Integer>> posters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            posters.add(flood.submit(() -> {
                // an offered load at a fixed rate (2 x 100 a second), well within what full-speed processing
                // applies, far beyond what 1% of the time applies
                int count = 0;
                long next = System.nanoTime();
                while (System.nanoTime() < until) {
                    // for an agent of another platform: stored, then ignored when applied (cheap to apply)
                    http.post("/api/webhooks/bolna?token=" + SECRET, """
                            {"id":"%s%d-%d","agent_id":"bolna-not-ours","status":"ringing"}"""
                            .formatted(run, thread, count++));
                    next += 10_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                return count;
            }));
        }
        List<Double> oldestAges = new ArrayList<>();
        try {
            Thread.sleep(2000);
            while (System.nanoTime() < until) {
                oldestAges.add(jdbc.queryForObject("""
                        SELECT COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - min(received_at)), 0)
                          FROM bolna_webhook_events WHERE state = 'received' AND execution_id LIKE ?""", Double.class,
                        run + "%"));
                Thread.sleep(250);
            }
        } finally {
            flood.shutdown();
        }
        int posted = 0;
        for (Future<Integer> poster : posters) {
            posted += poster.get();
        }
        assertThat(posted).as("deliveries posted").isGreaterThan(400);
        assertThat(oldestAges).isNotEmpty().allSatisfy(age -> assertThat(age).isLessThan(2.5));
    }
}
