package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.integration.internal.LiveEventHub;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.SseClient;
import ai.calling.support.SseClient.Event;
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * GET /api/events over real HTTP. Events "caused on another instance" are written the way any
 * instance's outbox writes them: the event row and a NOTIFY, committed on a connection of their own.
 */
@IntegrationTest
class LiveEventsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    LiveEventHub hub;

    Http http;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
    }

    @Test
    void aStreamGetsEventsFromAnyInstanceAndResumesWithLastEventIdNothingTwice() throws Exception {
        SignedIn other = TestUsers.register(http);
        List<String> seen = new ArrayList<>();
        String first;
        String second;
        try (SseClient stream = open(user, null)) {
            first = causeElsewhere(user, "call.completed");
            Event one = stream.next();
            assertThat(one.id()).isEqualTo(first);
            assertThat(one.type()).isEqualTo("call.completed");
            assertThat(one.data()).contains("\"type\"").contains("call.completed");

            // an event of this instance: the ledger's credits.low, through the outbox
            SignedIn admin = TestUsers.withRole(jdbc, TestUsers.register(http), "super_admin");
            TestCredits.setBalance(jdbc, user.id(), 200);
            assertThat(http.post("/api/admin/users/" + user.id() + "/credits", Map.of("amount", -190, "reason", "test"),
                    admin.auth()).status()).isEqualTo(201);
            Event two = stream.next();
            assertThat(two.type()).isEqualTo("credits.low");
            second = two.id();
            causeElsewhere(other, "call.completed");
            seen.add(one.id());
            seen.add(two.id());
        }

        // missed while disconnected
        String third = causeElsewhere(user, "lead.analyzed");
        String fourth = causeElsewhere(user, "campaign.completed");
        try (SseClient resumed = open(user, second)) {
            Event three = resumed.next();
            Event four = resumed.next();
            assertThat(List.of(three.id(), four.id())).containsExactly(third, fourth);
            String fifth = causeElsewhere(user, "call.failed");
            Event five = resumed.next();
            assertThat(five.id()).isEqualTo(fifth);
            seen.addAll(List.of(three.id(), four.id(), five.id()));
            // nothing twice, nothing of another tenant
            assertThat(resumed.poll(Duration.ofMillis(1500))).isNull();
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize(5).contains(first);
    }

    @Test
    void idleStreamsGetHeartbeatsAndTheCapPerAccountIs429() throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(open(user, null));
            }
            Http.Response refused = http.get("/api/events", user.auth());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(open.getFirst().awaitComment("heartbeat", Duration.ofSeconds(10))).isTrue();
        } finally {
            open.forEach(SseClient::close);
        }
        // closed streams are noticed at the next heartbeat, and their writers end with them (they lived on)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams(user.id()) == 0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.runningWriters() == 0);
        try (SseClient again = open(user, null)) {
            assertThat(again.awaitComment("heartbeat", Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aStreamNeedsCredentialsAndAnApiKeyMayReadIt() throws Exception {
        assertThat(http.get("/api/events").status()).isEqualTo(401);
        String key = http.post("/api/api-keys", Map.of("name", "stream"), user.auth()).json().path("key").asString();
        try (SseClient stream = new SseClient(port, key, null)) {
            String id = causeElsewhere(user, "call.completed");
            assertThat(stream.next().id()).isEqualTo(id);
        }
    }

    /**
     * A stream is authenticated when it opens and checked again at each heartbeat (1 s here): revoking the API
     * key it was opened with ends it, not the session's stream beside it; signing the session out ends that one.
     */
    @Test
    void aStreamEndsWithinAHeartbeatOnceItsCredentialIsRevoked() throws Exception {
        Http.Response created = http.post("/api/api-keys", Map.of("name", "stream"), user.auth());
        String key = created.json().path("key").asString();
        try (SseClient byKey = SseClient.open(port, key, null); SseClient bySession = open(user, null)) {
            assertThat(http.delete("/api/api-keys/" + created.json().path("id").asString(), user.auth()).status())
                    .isEqualTo(204);
            assertThat(byKey.ended(Duration.ofSeconds(5))).as("the revoked key's stream ended").isTrue();
            assertThat(bySession.ended(Duration.ofSeconds(2))).as("the session's stream goes on").isFalse();
            String id = causeElsewhere(user, "call.completed");
            assertThat(bySession.next().id()).isEqualTo(id);

            assertThat(http.post("/api/auth/logout", Map.of(), user.auth()).status()).isEqualTo(204);
            assertThat(bySession.ended(Duration.ofSeconds(5))).as("the signed-out session's stream ended").isTrue();
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.openStreams(user.id()) == 0);
    }

    /**
     * A client that opens its stream and stops reading (a laptop closed, a NAT that dropped the connection): its
     * socket's buffers fill. The server's one listener thread wrote to it and blocked there, and every other
     * tenant's live events waited behind it (for Tomcat's write timeout, a minute, again and again). Its own
     * writer blocks now; another tenant's event arrives at once, and the stalled stream is ended once it has
     * fallen far enough behind.
     */
    @Test
    void aClientThatStopsReadingHoldsUpNoOtherStream() throws Exception {
        SignedIn other = TestUsers.register(http);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4_096);
            stalled.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            stalled.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + user.accessToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams(user.id()) == 1);
            try (SseClient reading = open(other, null)) {
                // about 16 MB for the stalled client: more than the sockets' buffers hold, twice what its queue may
                String payload = "{\"type\":\"call.completed\",\"data\":{\"transcript\":\"" + "x".repeat(16_000) + "\"}}";
                for (int i = 0; i < 1_000; i++) {
                    causeElsewhere(user, "call.completed", payload);
                }
                String id = causeElsewhere(other, "call.completed");

                Event event = reading.poll(Duration.ofSeconds(5));
                assertThat(event).as("the other tenant's event, within 5 s").isNotNull();
                assertThat(event.id()).isEqualTo(id);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams(user.id()) == 0);
            }
        }
    }

    private String causeElsewhere(SignedIn tenant, String type) {
        return causeElsewhere(tenant, type, "{\"type\":\"" + type + "\",\"data\":{}}");
    }

    /** Writes an event as another instance's outbox does: the row and its NOTIFY in one transaction. */
    private String causeElsewhere(SignedIn tenant, String type, String payload) {
        return transactions.execute(status -> jdbc.queryForObject("""
                WITH event AS (INSERT INTO outbound_events (user_id, type, payload)
                               VALUES (?, ?, CAST(? AS jsonb)) RETURNING id, user_id)
                SELECT id::text FROM event, LATERAL (SELECT pg_notify('outbound_events', user_id || ':' || id)) n""",
                String.class, tenant.id(), type, payload));
    }

    private SseClient open(SignedIn tenant, String lastEventId) throws Exception {
        return SseClient.open(port, tenant.accessToken(), lastEventId);
    }
}
