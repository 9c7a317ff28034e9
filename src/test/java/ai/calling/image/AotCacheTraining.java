package ai.calling.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import ai.calling.support.TestDatabase;

/**
 * The training run that writes the container image's AOT cache (JDK 25, JEP 483/514/515; decision
 * 0024). It unpacks the image that {@code jib:buildTar} wrote (the {@code image} profile's first
 * build, without a cache) and starts the image's own entrypoint from there, with
 * {@code -XX:AOTCacheOutput} and the image's own Java runtime, against a fresh database of the test
 * database server ({@link TestDatabase}: TEST_DATABASE_URL, else an embedded PostgreSQL). It then
 * gives the server the work of its first minute in production: sign-up, sign-in and dashboard reads,
 * and Bolna webhook deliveries for {@code seconds} (stored, then applied and billed), and stops it
 * with SIGTERM; the JVM writes the cache as it exits. The cache fits the image because the runtime
 * and every jar are the image's very files (same sizes and modification times).
 * <p>
 * Usage (the {@code image} profile runs it): {@code AotCacheTraining <image tarball> <unpack directory>
 * <cache file> [seconds]}.
 */
public final class AotCacheTraining {

    private static final String SECRET = "aot-training";
    private static final String[] STATUSES = { "initiated", "ringing", "in-progress", "call-disconnected", "completed" };
    private static final int ACCOUNTS = 10;
    private static final int CALLS = 40_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AotCacheTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("Usage: AotCacheTraining <image tarball> <unpack directory> <cache file> [seconds]");
        }
        Path tarball = Path.of(args[0]).toAbsolutePath();
        Path root = Path.of(args[1]).toAbsolutePath();
        Path cache = Path.of(args[2]).toAbsolutePath();
        Duration load = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 20);
        long began = System.nanoTime();

        deleteRecursively(root);
        ImageTarball image = ImageTarball.read(tarball);
        image.unpack(root);
        List<String> command = new ArrayList<>(ImageTarball.relocated(image.entrypoint(), root));
        command.removeIf(part -> part.startsWith("-XX:AOTCache=") || part.startsWith("-XX:AOTMode="));
        command.add(1, "-XX:AOTCacheOutput=" + cache);
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);

        TestDatabase database = TestDatabase.get();
        int port = freePort();
        Path log = root.resolveSibling("aot-training.log"); // beside the unpacked image, not into the next one
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("MANAGEMENT_")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.put("SPRING_DATASOURCE_URL", database.url());
        env.put("SPRING_DATASOURCE_USERNAME", database.username());
        env.put("SPRING_DATASOURCE_PASSWORD", database.password());
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("JWT_SECRET", randomSecret());
        env.put("BOLNA_WEBHOOK_SECRET", SECRET);
        System.out.println("AOT cache training: " + String.join(" ", command.subList(0, 2)) + " ... (log: " + log + ")");
        Process server = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base, server, Duration.ofMinutes(5));
            System.out.printf("AOT cache training: healthy after %.1f s%n", (System.nanoTime() - began) / 1e9);
            seed(database);
            exerciseTheApi(base);
            long posted = postWebhooks(base, load);
            long applied = awaitApplied(database, Duration.ofSeconds(20));
            System.out.printf("AOT cache training: %d webhook deliveries posted, %d applied%n", posted, applied);
        } finally {
            server.destroy(); // SIGTERM: an orderly exit, during which the JVM writes the cache
        }
        if (!server.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
            server.destroyForcibly();
            throw new IllegalStateException("The training run did not exit within 10 minutes; see " + log);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("The training run wrote no AOT cache at " + cache + "; see " + log);
        }
        System.out.printf("AOT cache training: %s, %d MB, %.0f s in all%n", cache, Files.size(cache) >> 20,
                (System.nanoTime() - began) / 1e9);
        System.exit(0); // the test database's shutdown hook drops the training database
    }

    private static void awaitHealthy(String base, Process server, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("The training run's server stopped with exit code " + server.exitValue());
            }
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("The training run's server was not healthy within " + limit);
    }

    /** The accounts, agents and calls of bench/seed-startup.sql, fewer calls. */
    private static void seed(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    INSERT INTO users (id, email, name, credits)
                    SELECT md5('startup-user-' || u)::uuid, 'startup-' || u || '@bench.test', 'Bench', 100000000
                      FROM generate_series(0, %1$d) u;
                    INSERT INTO credit_transactions (user_id, type, amount, balance_after, description)
                    SELECT md5('startup-user-' || u)::uuid, 'purchase', 100000000, 100000000, 'Training credits'
                      FROM generate_series(0, %1$d) u;
                    INSERT INTO agents (id, user_id, bolna_agent_id, name)
                    SELECT md5('startup-agent-' || u)::uuid, md5('startup-user-' || u)::uuid, 'bolna-cold-' || u, 'A'
                      FROM generate_series(0, %1$d) u;
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number)
                    SELECT md5('startup-user-' || k %% %2$d)::uuid, md5('startup-agent-' || k %% %2$d)::uuid, 'cold-' || k,
                           '+1415' || (2000000 + k)
                      FROM generate_series(1, %3$d) k""".formatted(ACCOUNTS - 1, ACCOUNTS, CALLS));
        }
    }

    /** A user's first requests: sign-up, sign-in, profile, dashboard, call list, and what monitors read. */
    private static void exerciseTheApi(String base) throws Exception {
        for (int user = 0; user < 20; user++) {
            String email = "training-" + user + "@aot.test";
            String password = "Training-password-" + user + "!";
            send(HttpRequest.newBuilder(URI.create(base + "/api/auth/register")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"email":"%s","password":"%s","name":"Training"}""".formatted(email, password))));
            String login = send(HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"email":"%s","password":"%s"}""".formatted(email, password))));
            Matcher token = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"").matcher(login);
            if (token.find()) {
                for (String path : List.of("/api/auth/me", "/api/dashboard/overview", "/api/calls", "/api/analytics/calls",
                        "/api/analytics/agents", "/api/credits/balance", "/api/agents")) {
                    send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token.group(1)));
                }
            }
            for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
                    "/actuator/info")) {
                send(HttpRequest.newBuilder(URI.create(base + path)));
            }
        }
    }

    private static String send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Lifecycle events of the seeded calls, each call's five in order, from 16 concurrent clients. */
    private static long postWebhooks(String base, Duration load) throws Exception {
        URI uri = URI.create(base + "/api/webhooks/bolna?token=" + SECRET);
        AtomicLong next = new AtomicLong();
        AtomicLong posted = new AtomicLong();
        long deadline = System.nanoTime() + load.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < 16; client++) {
                clients.submit(() -> {
                    long call;
                    while (System.nanoTime() < deadline && (call = next.incrementAndGet()) <= CALLS) {
                        for (int step = 0; step < STATUSES.length; step++) {
                            HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.ofString(body(call, step))).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            posted.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        return posted.get();
    }

    private static String body(long call, int step) {
        String status = STATUSES[step];
        boolean done = status.equals("completed");
        return """
                {"id":"cold-%d","agent_id":"bolna-cold-%d","status":"%s","updated_at":"2026-11-26T00:00:0%dZ",\
                "conversation_duration":%s,"transcript":%s,"telephony_data":{"duration":"%s","to_number":"+1415%d",\
                "call_type":"outbound","provider":"twilio","hangup_by":"Callee","hangup_reason":"normal",\
                "hangup_provider_code":4000,"recording_url":%s},"cost_breakdown":{"llm":1.2,"network":0.3,"platform":0.5}}"""
                .formatted(call, call % ACCOUNTS, status, step, done ? "61.5" : "null",
                        done ? "\"assistant: hello there\\nuser: hi\"" : "null", done ? "62" : "", 2_000_000 + call,
                        done ? "\"https://example.com/rec.mp3\"" : "null");
    }

    /** Waits until the stored deliveries are applied (or the limit passes); returns how many were. */
    private static long awaitApplied(TestDatabase database, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection connection = database.connect();
                PreparedStatement waiting = connection.prepareStatement(
                        "SELECT count(*) FILTER (WHERE state IN ('received', 'failed')), count(*) FILTER (WHERE state = 'processed') "
                                + "FROM bolna_webhook_events")) {
            while (true) {
                try (ResultSet counts = waiting.executeQuery()) {
                    counts.next();
                    if (counts.getLong(1) == 0 || System.nanoTime() > deadline) {
                        return counts.getLong(2);
                    }
                }
                Thread.sleep(500);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String randomSecret() {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
