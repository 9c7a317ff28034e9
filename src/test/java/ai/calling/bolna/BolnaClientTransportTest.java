package ai.calling.bolna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ai.calling.common.ApiException;
import ai.calling.config.BolnaProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the connection to Bolna does when the network fails, below any fake's HTTP stubs: a dial that
 * certainly never left is refused, one whose answer was lost is unconfirmed, and {@code POST /call} is
 * sent once whatever happens to the connection (a client that retried would ring the customer twice).
 * A plain socket plays Bolna, so what reaches it is counted request by request.
 */
class BolnaClientTransportTest {

    private final AtomicInteger requests = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;
    private BolnaClient client;

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
        client = client(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2));

        assertThatThrownBy(() -> client.placeCall(request())).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status().is5xxServerError()).isTrue());
    }

    @Test
    void aConnectionDroppedAfterTheRequestIsAnUnconfirmedDialSentOnce() throws IOException {
        serve(socket -> {
            // the request is read whole, then the connection is dropped without an answer
            readRequest(socket);
            close(socket);
        });

        BolnaClient.Dial dial = client.placeCall(request());

        assertThat(dial.placed()).isFalse();
        assertThat(dial.unconfirmedBecause()).isNotBlank();
        assertThat(requests).as("POST /call is never sent twice").hasValue(1);
    }

    @Test
    void anAnswerLaterThanTheReadTimeoutIsAnUnconfirmedDialSentOnce() throws IOException {
        serve(socket -> {
            readRequest(socket);
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close(socket);
        });

        BolnaClient.Dial dial = client.placeCall(request());

        assertThat(dial.placed()).isFalse();
        assertThat(requests).hasValue(1);
    }

    @Test
    void consecutiveDialsShareOneKeptAliveConnection() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        serve(socket -> {
            connections.incrementAndGet();
            try {
                while (readRequest(socket)) {
                    String body = "{\"status\":\"queued\",\"execution_id\":\"exec-" + requests.get() + "\"}";
                    OutputStream out = socket.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                            + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException gone) {
                // the client closed the connection
            }
            close(socket);
        });

        List<String> ids = List.of(client.placeCall(request()).executionId(), client.placeCall(request()).executionId(),
                client.placeCall(request()).executionId());

        assertThat(ids).containsExactly("exec-1", "exec-2", "exec-3");
        assertThat(connections).hasValue(1);
    }

    /** Plays Bolna on a local port, one connection at a time, each handled by {@code connection}. */
    private void serve(Consumer<Socket> connection) throws IOException {
        server = new ServerSocket(0);
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> connection.accept(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        client = client(URI.create("http://127.0.0.1:" + server.getLocalPort()), Duration.ofSeconds(1));
    }

    /** Reads one request (head and body) and counts it; false when the connection ended first. */
    private boolean readRequest(Socket socket) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            int length = 0;
            String line = in.readLine();
            if (line == null) {
                return false;
            }
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
            requests.incrementAndGet();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private static CallRequest request() {
        return new CallRequest("agent-1", "+14155550100", null, Map.of(), UUID.randomUUID());
    }

    private static BolnaClient client(URI base, Duration readTimeout) {
        BolnaProperties properties = new BolnaProperties("key", base, "secret", readTimeout, List.of(),
                Duration.ofMinutes(30), 1, 0.2, 0.5, Duration.ofSeconds(30), 50, List.of());
        return new BolnaClient(properties, JsonMapper.builder().build(), new SimpleMeterRegistry(),
                ObservationRegistry.NOOP);
    }
}
