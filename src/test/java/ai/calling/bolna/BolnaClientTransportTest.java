package ai.calling.bolna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;
import ai.calling.support.RawHttp;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the connection to Bolna does when the network or Bolna fails, below any fake's HTTP stubs: a
 * dial that certainly never left is refused, one whose answer was lost is unconfirmed, and
 * {@code POST /call} is sent once whatever Bolna answers (an HTTP client that retried a 503 or a 429
 * by itself would ring the customer twice). A plain socket plays Bolna, so what reaches it is counted
 * request by request.
 */
class BolnaClientTransportTest {

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;
    private BolnaClient client;

    /** How the socket playing Bolna handles one connection. */
    private interface Connection {
        void handle(Socket socket, InputStream in) throws IOException, InterruptedException;
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.destroy();
        }
        if (server != null) {
            server.close();
            acceptor.join(2000);
        }
    }

    @Test
    void aDialToABolnaThatTakesNoConnectionIsRefusedNotUnconfirmed() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        client = client(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2), 4, Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.placeCall(request())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status().is5xxServerError()).isTrue());
    }

    /**
     * A refusal of the dial itself (400, 422) is a {@link BolnaClient.DialRefused}; one of our key, account or
     * agent (401, 402, 403, 404) is not: a campaign fails the recipient of the first, and backs off on the
     * second, which every dial would meet. Both are 5xx to the caller, and sent once.
     */
    @Test
    void aRefusalOfTheDialIsToldFromARefusalOfOurAccount() throws IOException {
        AtomicReference<String> status = new AtomicReference<>();
        serve((socket, in) -> {
            while (readRequest(in)) {
                answer(socket, status.get(), "", "{\"message\":\"no\"}");
            }
        });
        for (String refused : List.of("400 Bad Request", "422 Unprocessable Entity")) {
            status.set(refused);
            assertThatThrownBy(() -> client.placeCall(request())).as(refused).isInstanceOf(BolnaClient.DialRefused.class)
                    .satisfies(e -> assertThat(((ApiException) e).status().value()).isEqualTo(502));
        }
        for (String account : List.of("401 Unauthorized", "402 Payment Required", "403 Forbidden", "404 Not Found",
                "409 Conflict")) {
            status.set(account);
            assertThatThrownBy(() -> client.placeCall(request())).as(account).isInstanceOf(ApiException.class)
                    .isNotInstanceOf(BolnaClient.DialRefused.class)
                    .satisfies(e -> assertThat(((ApiException) e).status().is5xxServerError()).isTrue());
        }
        assertThat(requests).hasValue(7);
    }

    @Test
    void whetherMoreExecutionsFollowIsReadFromHasMoreElseTheTotalElseAFullPage() {
        JsonMapper json = JsonMapper.builder().build();
        assertThat(BolnaClient.hasMore(json.readTree("{\"has_more\":false,\"total\":500}"), 1, 50)).isFalse();
        assertThat(BolnaClient.hasMore(json.readTree("{\"has_more\":true}"), 1, 3)).isTrue();
        assertThat(BolnaClient.hasMore(json.readTree("{\"total\":120}"), 2, 50)).isTrue();
        assertThat(BolnaClient.hasMore(json.readTree("{\"total\":100}"), 2, 50)).isFalse();
        assertThat(BolnaClient.hasMore(json.readTree("{\"data\":[]}"), 1, 50)).as("a full page, nothing said").isTrue();
        assertThat(BolnaClient.hasMore(json.readTree("{\"data\":[]}"), 1, 49)).isFalse();
    }

    @Test
    void aConnectionDroppedAfterTheRequestIsAnUnconfirmedDialSentOnce() throws IOException {
        serve((socket, in) -> {
            // the request is read whole, then the connection is dropped without an answer
            readRequest(in);
        });

        BolnaClient.Dial dial = client.placeCall(request());

        assertThat(dial.placed()).isFalse();
        assertThat(dial.unconfirmedBecause()).isNotBlank();
        assertThat(requests).as("POST /call is never sent twice").hasValue(1);
    }

    @Test
    void anAnswerLaterThanTheReadTimeoutIsAnUnconfirmedDialSentOnce() throws IOException {
        serve((socket, in) -> {
            readRequest(in);
            // the answer comes, but after the read timeout (1 s): the dial must not wait for it
            Thread.sleep(2500);
            answer(socket, "200 OK", "", "{\"status\":\"queued\",\"execution_id\":\"exec-late\"}");
        });

        BolnaClient.Dial dial = client.placeCall(request());

        assertThat(dial.placed()).isFalse();
        assertThat(requests).hasValue(1);
    }

    /**
     * HttpClient's default strategy resends a request answered 503 (or 429) after its Retry-After (1 s,
     * within the read timeout): this test and the next fail without {@code disableAutomaticRetries}.
     */
    @Test
    void a503IsAnUnconfirmedDialSentOnce() throws IOException {
        serve((socket, in) -> {
            while (readRequest(in)) {
                answer(socket, "503 Service Unavailable", "Retry-After: 1\r\n", "{\"message\":\"busy\"}");
            }
        });

        BolnaClient.Dial dial = client.placeCall(request());

        assertThat(dial.placed()).isFalse();
        assertThat(dial.unconfirmedBecause()).contains("503");
        assertThat(requests).as("an HTTP client's own retry of a 503 would ring twice").hasValue(1);
    }

    @Test
    void a429IsThrottledAndSentOnce() throws IOException {
        serve((socket, in) -> {
            while (readRequest(in)) {
                answer(socket, "429 Too Many Requests", "Retry-After: 1\r\n", "{\"message\":\"limit\"}");
            }
        });

        assertThatThrownBy(() -> client.placeCall(request())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
        assertThat(requests).hasValue(1);
    }

    @Test
    void aDialThatFindsNoFreeConnectionInTimeIsThrottledAndNeverSent() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        serve((socket, in) -> {
            while (readRequest(in)) {
                release.await(10, TimeUnit.SECONDS);
                answer(socket, "200 OK", "", "{\"status\":\"queued\",\"execution_id\":\"exec-held\"}");
            }
        }, 1, Duration.ofMillis(300), Duration.ofSeconds(15));
        // the only connection is taken by a dial Bolna has not answered yet
        Future<BolnaClient.Dial> first;
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            first = background.submit(() -> client.placeCall(request()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (requests.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(requests).as("the first dial reached Bolna").hasValue(1);

            assertThatThrownBy(() -> client.placeCall(request())).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS));
            assertThat(requests).as("the second dial never left").hasValue(1);
            release.countDown();
        }
        assertThat(first.get().executionId()).isEqualTo("exec-held");
    }

    @Test
    void consecutiveDialsShareOneKeptAliveConnection() throws IOException {
        serve((socket, in) -> {
            while (readRequest(in)) {
                answer(socket, "200 OK", "", "{\"status\":\"queued\",\"execution_id\":\"exec-" + requests.get() + "\"}");
            }
        });

        List<String> ids = List.of(client.placeCall(request()).executionId(), client.placeCall(request()).executionId(),
                client.placeCall(request()).executionId());

        assertThat(ids).containsExactly("exec-1", "exec-2", "exec-3");
        assertThat(connections).hasValue(1);
        assertThat(requests).hasValue(3);
    }

    private void serve(Connection connection) throws IOException {
        serve(connection, 4, Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    /** Plays Bolna on a local port, each connection handled by {@code connection} and then closed. */
    private void serve(Connection connection, int poolSize, Duration connectionWait, Duration readTimeout)
            throws IOException {
        server = new ServerSocket(0);
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            connection.handle(socket, socket.getInputStream());
                        } catch (IOException | InterruptedException gone) {
                            // the client closed the connection, or the test ended
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        client = client(URI.create("http://127.0.0.1:" + server.getLocalPort()), readTimeout, poolSize, connectionWait);
    }

    /** Reads one request, head and whole body (the client streams it chunked), and counts it; false at the end. */
    private boolean readRequest(InputStream in) throws IOException {
        if (RawHttp.readMessage(in, false) == null) {
            return false;
        }
        requests.incrementAndGet();
        return true;
    }

    private static void answer(Socket socket, String status, String headers, String body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n" + headers + "Content-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static CallRequest request() {
        return new CallRequest("agent-1", "+14155550100", null, Map.of(), UUID.randomUUID());
    }

    private static BolnaClient client(URI base, Duration readTimeout, int poolSize, Duration connectionWait) {
        BolnaProperties properties = new BolnaProperties("key", base, "secret", readTimeout, List.of(),
                Duration.ofMinutes(30), 1, 0.2, 0.5, Duration.ofSeconds(30), 20_000, 50, List.of());
        return new BolnaClient(properties, JsonMapper.builder().build(), new SimpleMeterRegistry(),
                ObservationRegistry.NOOP, poolSize, connectionWait);
    }
}
