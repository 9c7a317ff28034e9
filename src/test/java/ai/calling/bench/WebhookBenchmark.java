package ai.calling.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import ai.calling.support.IntegrationTest;

/**
 * Webhook ingestion: 10,000 lifecycle events (5 per call, 2,000 calls of 10 users) posted over
 * loopback HTTP by 16 clients; prints events per second and the p99 latency. Not part of the suite;
 * run by bench/webhook-ingest.sh.
 */
@IntegrationTest
@TestPropertySource(properties = "app.bolna.webhook-secret=bench-secret")
class WebhookBenchmark {

    static final int CALLS = 2000;
    static final String[] STATUSES = { "initiated", "ringing", "in-progress", "call-disconnected", "completed" };

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void ingest() throws Exception {
        List<String> bodies = new ArrayList<>();
        List<UUID> users = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            UUID user = UUID.randomUUID();
            UUID agent = UUID.randomUUID();
            users.add(user);
            jdbc.update("INSERT INTO users (id, email, name, credits) VALUES (?, ?, 'Bench', 100000)", user,
                    user + "@bench.test");
            jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'A')", agent, user,
                    "bolna-" + agent);
            for (int c = 0; c < CALLS / 10; c++) {
                String execution = "exec-" + UUID.randomUUID();
                jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number) "
                        + "VALUES (?, ?, ?, ?)", user, agent, execution, "+1415" + (2_000_000 + u * 1000 + c));
                for (String status : STATUSES) {
                    bodies.add(body(execution, "bolna-" + agent, status, "+1415" + (2_000_000 + u * 1000 + c)));
                }
            }
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // warm-up: JIT and connection pool
        for (int i = 0; i < 200; i++) {
            send(client, body("warm-" + i, "bolna-none", "ringing", "+14155550100"));
        }
        long[] latencies = new long[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < bodies.size()) {
                    long began = System.nanoTime();
                    if (send(client, bodies.get(i)) != 200) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - began;
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        long elapsed = System.nanoTime() - start;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>();
        for (long latency : latencies) {
            sorted.add(latency);
        }
        Collections.sort(sorted);
        System.out.printf("webhook_events=%d%n", bodies.size());
        System.out.printf("webhook_events_per_s=%.0f%n", bodies.size() / (elapsed / 1e9));
        System.out.printf("webhook_p50_ms=%.1f%n", sorted.get(sorted.size() / 2) / 1e6);
        System.out.printf("webhook_p99_ms=%.1f%n", sorted.get((int) (sorted.size() * 0.99)) / 1e6);
        System.out.printf("webhook_errors=%d%n", errors.get());
        Long completed = jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ANY(?) AND status = 'completed'",
                Long.class, (Object) users.toArray(UUID[]::new));
        System.out.printf("webhook_calls_completed=%d%n", completed);
    }

    private int send(HttpClient client, String body) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/api/webhooks/bolna?token=bench-secret")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String body(String execution, String agent, String status, String phone) {
        boolean done = status.equals("completed");
        return """
                {"id":"%s","agent_id":"%s","status":"%s","updated_at":"%s","conversation_duration":%s,
                 "transcript":%s,"telephony_data":{"duration":"%s","to_number":"%s","call_type":"outbound",
                 "provider":"twilio","hangup_by":"Callee","hangup_reason":"normal","hangup_provider_code":4000,
                 "recording_url":%s},"cost_breakdown":{"llm":1.2,"network":0.3,"platform":0.5}}"""
                .formatted(execution, agent, status, Instant.now(), done ? "61.5" : "null",
                        done ? "\"assistant: hello there\\nuser: hi\"" : "null", done ? "62" : "", phone,
                        done ? "\"https://example.com/rec.mp3\"" : "null");
    }
}
