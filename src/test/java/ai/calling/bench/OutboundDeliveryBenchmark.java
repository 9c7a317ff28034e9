package ai.calling.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import ai.calling.support.IntegrationTest;
import ai.calling.support.WebhookReceiver;

/**
 * Outbound webhook delivery throughput: N events already in the outbox (as committed by their
 * changes), one delivery each, spread over E endpoints of a local receiver on loopback; measures how
 * long this instance's delivery workers take until every delivery succeeded (lease, sign, POST, record).
 * A first, smaller round warms the JIT. Not part of the suite; run by bench/outbound-delivery.sh.
 * {@code -Dbench.deliveries=N} (default 5000), {@code -Dbench.endpoints=E} (default 8).
 */
@IntegrationTest
@TestPropertySource(properties = { "logging.level.ai.calling=WARN" })
class OutboundDeliveryBenchmark {

    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void deliver() throws Exception {
        int deliveries = Integer.getInteger("bench.deliveries", 5000);
        int endpoints = Integer.getInteger("bench.endpoints", 8);
        // leftovers of other runs must not be counted (nor delay this one)
        jdbc.update("UPDATE webhook_deliveries SET status = 'failed' WHERE status = 'pending'");
        run("warm", Math.max(500, deliveries / 10), endpoints);
        double perSecond = run("measured", deliveries, endpoints);
        System.out.printf("outbound_deliveries=%d%noutbound_endpoints=%d%noutbound_deliveries_per_s=%.0f%n", deliveries,
                endpoints, perSecond);
        System.out.printf("outbound_received=%d%n", RECEIVER.received("/bench").size());
        RECEIVER.close();
    }

    private double run(String label, int deliveries, int endpoints) throws InterruptedException {
        UUID user = UUID.randomUUID();
        jdbc.update("INSERT INTO users (id, email, name, credits) VALUES (?, ?, 'Bench', 0)", user, user + "@bench.test");
        List<UUID> endpointIds = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
            endpointIds.add(jdbc.queryForObject("INSERT INTO webhook_endpoints (user_id, url, events, secret) VALUES (?, ?, "
                    + "ARRAY['call.completed']::varchar[], 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw') RETURNING id",
                    UUID.class, user, RECEIVER.url("/bench")));
        }
        // disabled while the outbox fills, so that the clock starts with every delivery due
        jdbc.update("UPDATE webhook_endpoints SET enabled = false WHERE user_id = ?", user);
        jdbc.update("""
                WITH events AS (
                    INSERT INTO outbound_events (user_id, type, payload)
                    SELECT ?, 'call.completed', jsonb_build_object('type', 'call.completed', 'timestamp', now(),
                           'data', jsonb_build_object('id', gen_random_uuid(), 'status', 'completed', 'durationSeconds', n))
                      FROM generate_series(1, ?) n RETURNING id, seq)
                INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id)
                SELECT id, (?::uuid[])[1 + seq % ?], ? FROM events ORDER BY seq""", user, deliveries,
                endpointIds.toArray(UUID[]::new), endpoints, user);
        long start = System.nanoTime();
        jdbc.update("UPDATE webhook_endpoints SET enabled = true WHERE user_id = ?", user);
        long deadline = start + Duration.ofMinutes(15).toNanos();
        long delivered = 0;
        while (System.nanoTime() < deadline) {
            delivered = jdbc.queryForObject("SELECT count(*) FROM webhook_deliveries WHERE user_id = ? "
                    + "AND status = 'succeeded'", Long.class, user);
            if (delivered == deliveries) {
                break;
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("outbound_%s_round_s=%.2f%n", label, seconds);
        // a round cut short by the deadline reports what it delivered, not what it was given
        System.out.printf("outbound_%s_delivered=%d%n", label, delivered);
        return delivered / seconds;
    }
}
