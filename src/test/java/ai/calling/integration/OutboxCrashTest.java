package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.ApplicationProcess;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import ai.calling.support.WebhookReceiver;
import ai.calling.support.WebhookReceiver.Received;
import tools.jackson.databind.JsonNode;

/**
 * "Events are never lost when the app is killed between commit and delivery" (issue 23), with a real
 * kill: an instance in a process of its own commits a {@code credits.low} event (an admin's debit
 * posted to it) and starts delivering it to a customer's server that does not answer; while that
 * request is in flight the process gets SIGKILL. The surviving instance (this test's server) sends the
 * delivery once the dead instance's lease has run out, and the customer's server, answering 200 now,
 * gets it exactly once more, with the same {@code webhook-id} and a valid signature.
 */
@IntegrationTest
class OutboxCrashTest {

    /** The doomed instance's lease: short, so that the survivor takes over within seconds (at least two timeouts). */
    static final Duration LEASE = Duration.ofSeconds(8);
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDeliveryInFlightWhenItsInstanceIsKilledIsDeliveredOnceBySurvivorAfterTheLease() {
        Http http = new Http(port);
        SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");
        int threshold = jdbc.queryForObject("SELECT config_value::int FROM system_config "
                + "WHERE config_key = 'low_credit_threshold'", Integer.class);

        try (ApplicationProcess doomed = ApplicationProcess.start(
                "--app.outbound-webhooks.allowed-networks=127.0.0.0/8", "--app.outbound-webhooks.timeout=" + TIMEOUT,
                "--app.outbound-webhooks.lease=" + LEASE, "--app.outbound-webhooks.poll-interval=50ms")) {
            InFlight trying = null;
            // The doomed instance wakes its own workers the moment its transaction commits; the survivor only
            // polls (every 100 ms in the tests), so it rarely takes the delivery first. When it does, the
            // trial is useless (the delivery is not in flight on the instance to be killed): a new one is made.
            int trials = 0;
            while (trials < 5 && trying == null) {
                trials++;
                trying = commitAndStartDelivering(http, doomed, admin, threshold);
            }
            InFlight inFlight = trying;
            assertThat(inFlight).as("a delivery in flight on the doomed instance within 5 trials").isNotNull();

            doomed.kill();
            Instant killedAt = Instant.now();
            assertThat(doomed.isAlive()).isFalse();
            String path = inFlight.path();
            // the event committed; its delivery is still leased by the dead worker, which recorded no attempt
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbound_events WHERE id = ?::uuid", Long.class,
                    inFlight.eventId())).isOne();
            Map<String, Object> delivery = delivery(inFlight.eventId());
            assertThat(delivery.get("status")).isEqualTo("pending");
            assertThat(delivery.get("attempts")).isEqualTo(1);
            assertThat(attemptsLogged(inFlight.eventId())).isZero();

            Awaitility.await().atMost(LEASE.plusSeconds(20)).until(() -> RECEIVER.received(path).size() >= 2);
            Received redelivered = RECEIVER.received(path).get(1);
            assertThat(redelivered.at()).as("sent again only once the lease had run out")
                    .isAfterOrEqualTo(inFlight.leasedUntil().minusMillis(500));
            assertThat(redelivered.webhookId()).isEqualTo(inFlight.eventId());
            assertThat(OutboundWebhooksTest.verifies(inFlight.secret(), redelivered)).isTrue();
            assertThat(redelivered.body()).isEqualTo(RECEIVER.received(path).getFirst().body());

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(delivery(inFlight.eventId())
                    .get("status")));
            assertThat(delivery(inFlight.eventId()).get("attempts")).isEqualTo(2);
            assertThat(jdbc.queryForList("SELECT a.response_status FROM webhook_delivery_attempts a "
                    + "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = ?::uuid", Integer.class,
                    inFlight.eventId())).containsExactly(200);
            // exactly once to the receiver that answered: nothing more comes
            sleep(Duration.ofSeconds(2));
            assertThat(RECEIVER.received(path)).hasSize(2);
            System.out.printf("outbox_crash_trials=%d redelivered_after_kill_s=%.1f%n", trials,
                    Duration.between(killedAt, redelivered.at()).toMillis() / 1000.0);
        }
    }

    /** A delivery leased by the doomed instance and sent to a receiver that has not answered. */
    record InFlight(String path, String eventId, String secret, Instant leasedUntil) {
    }

    /**
     * A new account falls below the low-credit threshold through the doomed instance (which commits the
     * credits.low event and its delivery, then sends it to a receiver that holds the request). Returns the
     * delivery when the doomed instance leased it; null when the survivor did.
     */
    private InFlight commitAndStartDelivering(Http http, ApplicationProcess doomed, SignedIn admin, int threshold) {
        SignedIn user = TestUsers.register(http);
        TestCredits.setBalance(jdbc, user.id(), threshold + 10);
        String path = "/killed-" + UUID.randomUUID();
        // the first request is held (the doomed instance dies waiting for it); any later one is answered 200
        RECEIVER.answerAfter(path, Duration.ofMinutes(5));
        Http.Response endpoint = http.post("/api/webhook-endpoints",
                Map.of("url", RECEIVER.url(path), "events", List.of("credits.low")), user.auth());
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
        String secret = endpoint.json().path("secret").asString();

        Http.Response debit = doomed.http().post("/api/admin/users/" + user.id() + "/credits",
                Map.of("amount", -11, "reason", "crash test"), admin.auth());
        assertThat(debit.status()).as(debit.body()).isEqualTo(201);
        String eventId = jdbc.queryForObject("SELECT id::text FROM outbound_events WHERE user_id = ? "
                + "AND type = 'credits.low'", String.class, user.id());

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !RECEIVER.received(path).isEmpty());
        JsonNode body = OutboundWebhooksTest.JSON.readTree(RECEIVER.received(path).getFirst().body());
        assertThat(body.path("type").asString()).isEqualTo("credits.low");
        // whose lease it is: the doomed instance leases for LEASE, the survivor for 3 timeouts + 30 s (39 s)
        Map<String, Object> delivery = delivery(eventId);
        Instant leasedUntil = ((Timestamp) delivery.get("leased_until")).toInstant();
        double leaseLeft = ((Number) delivery.get("lease_left")).doubleValue();
        if (leaseLeft > LEASE.toSeconds()) {
            return null;
        }
        return new InFlight(path, eventId, secret, leasedUntil);
    }

    private Map<String, Object> delivery(String eventId) {
        return jdbc.queryForMap("SELECT status, attempts, leased_until, "
                + "EXTRACT(EPOCH FROM leased_until - now()) AS lease_left FROM webhook_deliveries WHERE event_id = ?::uuid",
                eventId);
    }

    private long attemptsLogged(String eventId) {
        return jdbc.queryForObject("SELECT count(*) FROM webhook_delivery_attempts a JOIN webhook_deliveries d "
                + "ON d.id = a.delivery_id WHERE d.event_id = ?::uuid", Long.class, eventId);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
