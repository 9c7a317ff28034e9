package ai.calling.bench;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
        BenchClients.Latency latency = BenchClients.measure(port, access, clients, n -> n < 1000 / clients,
                (thread, n) -> path, () -> {
                    if (!cached) {
                        analytics.evict(USER);
                    }
                });
        if (print) {
            System.out.printf("dashboard %s %s clients=%d p50_ms=%.1f p95_ms=%.1f%n", path, cached ? "cached" : "uncached",
                    clients, latency.p50Ms(), latency.p95Ms());
        }
    }
}
