package ai.calling.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import ai.calling.analytics.AnalyticsService;
import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestDatabase;
import ai.calling.support.TestUsers;

/**
 * Dashboard at scale: seeds bench/seed-dashboard.sql (1M calls), unless the run's database is a copy of
 * a seeded template (bench/growth.sh, {@code test.database.template}), times the concurrent refresh of
 * user_kpi_summary, then measures the overview and analytics endpoints of one seeded user with 1 and
 * with 8 loopback clients, with the per-user cache warm and with it evicted before every request.
 * Not part of the suite; run by bench/dashboard.sh.
 */
@IntegrationTest
class DashboardBenchmark {

    static final UUID USER = UUID.fromString("00000000-0000-4000-8000-000000000001");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Autowired
    AnalyticsService analytics;

    @Test
    void dashboard() throws Exception {
        if (System.getProperty("test.database.template") == null) {
            long seeded = System.nanoTime();
            seed();
            System.out.printf("dashboard_seed_s=%.1f%n", (System.nanoTime() - seeded) / 1e9);
        }
        System.out.println("dashboard_calls=" + jdbc.queryForObject("SELECT count(*) FROM calls", Long.class));
        long refresh = System.nanoTime();
        jdbc.execute("SELECT scheduled_refresh_user_kpi_summary()");
        System.out.printf("dashboard_mv_refresh_s=%.2f%n", (System.nanoTime() - refresh) / 1e9);

        jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwords.encode(TestUsers.PASSWORD), USER);
        String access = new Http(port).post("/api/auth/login", Map.of("email", "bench1@bench.test",
                "password", TestUsers.PASSWORD)).json().path("accessToken").asString();
        System.out.println("dashboard_user_calls="
                + jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ?", Long.class, USER));
        // warm-up (JIT): every endpoint, both ways, before anything is measured
        for (String path : List.of("/api/dashboard/overview", "/api/analytics/calls?granularity=week",
                "/api/analytics/agents", "/api/analytics/leads")) {
            measure(path, access, false, 2, false);
            measure(path, access, true, 2, false);
        }
        for (String path : List.of("/api/dashboard/overview", "/api/analytics/calls?granularity=week",
                "/api/analytics/agents", "/api/analytics/leads")) {
            for (int clients : new int[] { 1, 8 }) {
                measure(path, access, true, clients, true);
                measure(path, access, false, clients, true);
            }
        }
    }

    /** psql, not JDBC: the script commits between its chunks, which needs a top-level DO block. */
    private static void seed() throws Exception {
        TestDatabase database = TestDatabase.get();
        URI url = URI.create(database.url().substring("jdbc:".length()));
        ProcessBuilder command = new ProcessBuilder("psql", "-h", url.getHost(), "-p", String.valueOf(url.getPort()),
                "-U", database.username(), "-d", url.getPath().substring(1), "-q", "-v", "ON_ERROR_STOP=1", "-f",
                "bench/seed-dashboard.sql").redirectErrorStream(true);
        if (database.password() != null) {
            command.environment().put("PGPASSWORD", database.password());
        }
        Process psql = command.start();
        psql.getInputStream().transferTo(System.out);
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("The seed failed");
        }
    }

    private void measure(String path, String access, boolean cached, int clients, boolean print) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            work.add(pool.submit(() -> {
                for (int i = 0; i < 1000 / clients; i++) {
                    if (!cached) {
                        analytics.evict(USER);
                    }
                    long start = System.nanoTime();
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + path)).header("Authorization", "Bearer " + access).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(path + " answered " + response.statusCode());
                    }
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        if (!print) {
            return;
        }
        System.out.printf("dashboard %s %s clients=%d p50_ms=%.1f p95_ms=%.1f%n", path, cached ? "cached" : "uncached",
                clients, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.95)) / 1e6);
    }
}
