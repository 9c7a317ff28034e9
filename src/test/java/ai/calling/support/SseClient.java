package ai.calling.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client of {@code GET /api/events}, as a browser's EventSource would be: parses the
 * stream into events and comments on a background thread, and sends {@code Last-Event-ID} when resuming.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private final Stream<String> lines;
    private final Thread reader;

    /** One event of the stream. */
    public record Event(String id, String type, String data) {
    }

    /** Opens the stream of the server on {@code port} with this bearer token, resuming after {@code lastEventId} when not null. */
    public SseClient(int port, String token, String lastEventId) throws Exception {
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

    /** Opens a stream and waits for the server's {@code connected} comment (missed events, if any, follow it). */
    public static SseClient open(int port, String token, String lastEventId) throws Exception {
        SseClient stream = new SseClient(port, token, lastEventId);
        assertThat(stream.awaitComment("connected", Duration.ofSeconds(10))).isTrue();
        return stream;
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

    /** The next event, which must come within 15 s. */
    public Event next() throws InterruptedException {
        Event event = events.poll(15, TimeUnit.SECONDS);
        assertThat(event).as("an event within 15 s").isNotNull();
        return event;
    }

    /** The next event within {@code wait}, or null. */
    public Event poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean awaitComment(String text, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String comment = comments.poll(100, TimeUnit.MILLISECONDS);
            if (text.equals(comment)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the server ended the stream within {@code wait} (its response finished). */
    public boolean ended(Duration wait) throws InterruptedException {
        return reader.join(wait);
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
