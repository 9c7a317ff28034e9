package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.integration.internal.LiveEventHub;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.SseClient;
import ai.calling.support.SseClient.Event;
import ai.calling.support.StartedApplication;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live events across two real instances on one database (issue 23): this test's server is instance A,
 * where the customer's browser holds {@code GET /api/events} open; a second application context is
 * instance B, which alone receives Bolna's webhooks. A call completed by a webhook posted to B is
 * written to the outbox by B (its webhook processors apply what B received) and reaches A's stream
 * through PostgreSQL's NOTIFY; a client that reconnects to A with {@code Last-Event-ID} gets exactly
 * what B caused while it was away, and nothing twice.
 */
@IntegrationTest
class LiveEventsTwoInstancesTest {

    static final String BOLNA_SECRET = "live-events-two-instances-bolna-secret";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aStreamOnOneInstanceGetsWhatAnotherCausedAndResumesWithExactlyWhatItMissed() throws Exception {
        Http a = new Http(port);
        SignedIn user = TestUsers.register(a);
        // enough that no call takes the balance below the low-credit threshold (no credits.low among the events)
        TestCredits.setBalance(jdbc, user.id(), 10_000);
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Agent')", agent, user.id(),
                "bolna-" + agent);

        // B's streams last 2 s (A's the default): a stream that times out ends its writer with it
        try (StartedApplication b = StartedApplication.start("--app.bolna.webhook-secret=" + BOLNA_SECRET,
                "--app.live-events.stream-timeout=2s")) {
            String first;
            try (SseClient stream = SseClient.open(port, user.accessToken(), null)) {
                String call = completeACallThrough(b.http(), agent, 42);
                Event event = stream.next();
                assertThat(event.type()).isEqualTo("call.completed");
                JsonNode body = JSON.readTree(event.data());
                assertThat(body.path("data").path("id").asString()).isEqualTo(call);
                assertThat(body.path("data").path("durationSeconds").asInt()).isEqualTo(42);
                assertThat(eventIds(user)).containsExactly(event.id());
                first = event.id();
                assertThat(stream.poll(Duration.ofMillis(500))).isNull();
            }

            // caused on B while the client is away
            String missedCall = completeACallThrough(b.http(), agent, 17);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventIds(user).size() == 2);
            String missed = eventIds(user).get(1);

            try (SseClient resumed = SseClient.open(port, user.accessToken(), first)) {
                Event replayed = resumed.next();
                assertThat(replayed.id()).isEqualTo(missed);
                assertThat(JSON.readTree(replayed.data()).path("data").path("id").asString()).isEqualTo(missedCall);
                // and live again: the next event caused on B, once
                String liveCall = completeACallThrough(b.http(), agent, 5);
                Event live = resumed.next();
                assertThat(JSON.readTree(live.data()).path("data").path("id").asString()).isEqualTo(liveCall);
                assertThat(eventIds(user)).containsExactly(first, missed, live.id());
                // nothing twice: neither the event resumed after, nor the replayed one, nor the live one again
                assertThat(resumed.poll(Duration.ofMillis(1500))).isNull();
            }

            // a stream on B runs out its 2 s: its writer ends with it (the first version left it polling for ever)
            LiveEventHub hubOfB = b.context().getBean(LiveEventHub.class);
            int port = Integer.parseInt(b.context().getEnvironment().getProperty("local.server.port"));
            try (SseClient timingOut = SseClient.open(port, user.accessToken(), null)) {
                assertThat(hubOfB.runningWriters()).isOne();
                assertThat(timingOut.ended(Duration.ofSeconds(10))).isTrue();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hubOfB.runningWriters() == 0);
        }
    }

    /** The account's outbox events, in order. */
    private List<String> eventIds(SignedIn user) {
        return jdbc.queryForList("SELECT id::text FROM outbound_events WHERE user_id = ? ORDER BY seq", String.class,
                user.id());
    }

    /**
     * Bolna reports to instance B that an execution of the agent completed: B stores the delivery and its
     * own processors apply it (a call created and completed). Returns the call's id once it has ended.
     */
    private String completeACallThrough(Http b, UUID agent, int seconds) {
        String execution = "exec-" + UUID.randomUUID();
        String body = """
                {"id":"%s","agent_id":"bolna-%s","status":"completed","created_at":"2026-11-25T10:00:00.000Z",
                 "updated_at":"%s","conversation_duration":%d.0,"total_cost":0,"transcript":null,
                 "context_details":{"recipient_phone_number":"+14155550123"},
                 "telephony_data":{"duration":"%d","to_number":"+14155550123","from_number":"+14155550100",
                   "call_type":"outbound","provider":"twilio","hangup_by":"Callee","hangup_reason":"normal"}}"""
                .formatted(execution, agent, Instant.now(), seconds, seconds);
        Http.Response response = b.post("/api/webhooks/bolna?token=" + BOLNA_SECRET, body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !jdbc.queryForList(
                "SELECT id FROM calls WHERE bolna_execution_id = ? AND status <> 'in_progress'", String.class, execution)
                .isEmpty());
        return jdbc.queryForObject("SELECT id::text FROM calls WHERE bolna_execution_id = ?", String.class, execution);
    }
}
