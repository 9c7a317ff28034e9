package ai.calling.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
import ai.calling.support.TestCredits;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * GET /api/events over real HTTP. Events "caused on another instance" are written the way any
 * instance's outbox writes them: the event row and a NOTIFY, committed on a connection of their own.
 */
@IntegrationTest
class LiveEventsTest {

    static final HttpClient CLIENT = HttpClient.newHttpClient();

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
        try (Sse stream = open(user, null)) {
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
        try (Sse resumed = open(user, second)) {
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
        List<Sse> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(open(user, null));
            }
            Http.Response refused = http.get("/api/events", user.auth());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(open.getFirst().awaitComment("heartbeat", Duration.ofSeconds(10))).isTrue();
        } finally {
            open.forEach(Sse::close);
        }
        // closed streams are noticed at the next heartbeat
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hub.openStreams(user.id()) == 0);
        try (Sse again = open(user, null)) {
            assertThat(again.awaitComment("heartbeat", Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aStreamNeedsCredentialsAndAnApiKeyMayReadIt() throws Exception {
        assertThat(http.get("/api/events").status()).isEqualTo(401);
        String key = http.post("/api/api-keys", Map.of("name", "stream"), user.auth()).json().path("key").asString();
        try (Sse stream = new Sse(key, null)) {
            String id = causeElsewhere(user, "call.completed");
            assertThat(stream.next().id()).isEqualTo(id);
        }
    }

    /** Writes an event as another instance's outbox does: the row and its NOTIFY in one transaction. */
    private String causeElsewhere(SignedIn tenant, String type) {
        return transactions.execute(status -> jdbc.queryForObject("""
                WITH event AS (INSERT INTO outbound_events (user_id, type, payload)
                               VALUES (?, ?, CAST(? AS jsonb)) RETURNING id, user_id)
                SELECT id::text FROM event, LATERAL (SELECT pg_notify('outbound_events', user_id || ':' || id)) n""",
                String.class, tenant.id(), type, "{\"type\":\"" + type + "\",\"data\":{}}"));
    }

    private Sse open(SignedIn tenant, String lastEventId) throws Exception {
        Sse stream = new Sse(tenant.accessToken(), lastEventId);
        assertThat(stream.awaitComment("connected", Duration.ofSeconds(10))).isTrue();
        return stream;
    }

    record Event(String id, String type, String data) {
    }

    /** A Server-Sent Events client: parses the stream into events and comments on a background thread. */
    final class Sse implements AutoCloseable {

        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
        private final Stream<String> lines;
        private final Thread reader;

        Sse(String token, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events"))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<Stream<String>> response = CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            lines = response.body();
            reader = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            String[] current = new String[3];
            StringBuilder data = new StringBuilder();
            try {
                lines.forEach(line -> {
                    if (line.startsWith(":")) {
                        comments.add(line.substring(1).trim());
                    } else if (line.startsWith("id:")) {
                        current[0] = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        current[1] = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && current[0] != null) {
                        events.add(new Event(current[0], current[1], data.toString()));
                        current[0] = null;
                        current[1] = null;
                        data.setLength(0);
                    }
                });
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        }

        Event next() throws InterruptedException {
            Event event = events.poll(15, TimeUnit.SECONDS);
            assertThat(event).as("an event within 15 s").isNotNull();
            return event;
        }

        Event poll(Duration wait) throws InterruptedException {
            return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        boolean awaitComment(String text, Duration wait) throws InterruptedException {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                String comment = comments.poll(100, TimeUnit.MILLISECONDS);
                if (text.equals(comment)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            lines.close();
            reader.interrupt();
        }
    }
}
