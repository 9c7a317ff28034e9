package ai.calling.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A customer's server for outbound webhooks, on 127.0.0.1: records every request it gets, and answers
 * each path with the statuses queued for it (then 200). An answer may also be a redirect, a large body
 * or late. Requests are handled side by side (a late answer holds up no other request).
 */
public final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> answers = new ConcurrentHashMap<>();
    private final Map<String, Integer> bodySizes = new ConcurrentHashMap<>();
    private final Map<String, Deque<Duration>> delays = new ConcurrentHashMap<>();
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    /** The URL of a path on this receiver. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to this path get these statuses, in order (302 redirects to /redirected). */
    public WebhookReceiver answer(String path, Integer... statuses) {
        answers.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
        return this;
    }

    /** Requests to this path get a 200 with a body of this many bytes. */
    public WebhookReceiver largeBody(String path, int bytes) {
        bodySizes.put(path, bytes);
        return this;
    }

    /** The next requests to this path are answered only after these delays, in order (then at once). */
    public WebhookReceiver answerAfter(String path, Duration... delays) {
        this.delays.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(delays));
        return this;
    }

    public List<Received> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(path, Instant.now(), exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)));
            Deque<Duration> late = delays.get(path);
            Duration delay = late == null ? null : late.poll();
            if (delay != null) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Deque<Integer> queued = answers.get(path);
            Integer status = queued == null ? null : queued.poll();
            int code = status == null ? 200 : status;
            if (code == 302) {
                exchange.getResponseHeaders().add("Location", url("/redirected"));
            }
            int size = bodySizes.getOrDefault(path, 0);
            try {
                exchange.sendResponseHeaders(code, size == 0 ? -1 : size);
            } catch (IOException goneAway) {
                // the sender gave up waiting for a late answer
                return;
            }
            if (size > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    byte[] chunk = new byte[8192];
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk, 0, Math.min(chunk.length, size - sent));
                    }
                } catch (IOException droppedByTheClient) {
                    // the sender reads only the head of an answer and hangs up
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }

    public record Received(String path, Instant at, String webhookId, String timestamp, String signature, String body) {
    }
}
