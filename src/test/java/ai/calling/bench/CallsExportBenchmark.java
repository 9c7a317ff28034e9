package ai.calling.bench;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;

/**
 * The CSV export of 100,000 calls of one tenant (issue 24, goal: the server's heap grows by less
 * than 50 MB): the live heap (after a full GC) is sampled while the export streams to a client that
 * reads and discards it; the growth is the highest sample minus the live heap before. The server
 * runs in this JVM, so the samples are the server's heap. Not part of the suite; run by
 * bench/calls-export.sh.
 */
@IntegrationTest
class CallsExportBenchmark {

    static final UUID USER = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final int CALLS = Integer.getInteger("bench.calls", 100_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void export() throws Exception {
        long seeded = System.nanoTime();
        seed();
        System.out.printf("export_seed_s=%.1f%n", (System.nanoTime() - seeded) / 1e9);
        jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwords.encode(TestUsers.PASSWORD), USER);
        String access = new Http(port).post("/api/auth/login", Map.of("email", "bench1@bench.test",
                "password", TestUsers.PASSWORD)).json().path("accessToken").asString();
        download(access); // warm-up (JIT, pool)
        for (int run = 1; run <= 3; run++) {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            AtomicLong peak = new AtomicLong(before);
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    System.gc();
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            long[] counted = download(access);
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            sampler.join();
            System.out.printf("export run=%d rows=%d bytes=%d seconds=%.2f rows_per_s=%.0f live_heap_before_mb=%.1f "
                    + "live_heap_growth_mb=%.1f%n", run, counted[0] - 1, counted[1], seconds, (counted[0] - 1) / seconds,
                    before / 1e6, (peak.get() - before) / 1e6);
        }
    }

    /** Reads the whole CSV and counts its lines and bytes. */
    private long[] download(String access) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/calls/export")).header("Authorization", "Bearer " + access).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("export answered " + response.statusCode());
        }
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            for (int read; (read = in.read(buffer)) > 0;) {
                bytes += read;
                for (int i = 0; i < read; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return new long[] { lines, bytes };
    }

    /** One tenant with 100,000 calls (30% with a lead analysis); triggers off, the export reads no rollup. */
    private void seed() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            sql.execute("SET session_replication_role = replica");
            sql.execute("INSERT INTO users (id, email, name, credits) VALUES ('" + USER
                    + "', 'bench1@bench.test', 'Bench 1', 1000)");
            sql.execute("""
                    INSERT INTO agents (id, user_id, bolna_agent_id, name)
                    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid, '%s', 'bench-agent-' || a,
                           'Agent ' || a
                      FROM generate_series(1, 5) AS a""".formatted(USER));
            sql.execute("""
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, caller_name, status,
                                       duration_minutes, duration_seconds, credits_used, created_at, completed_at)
                    SELECT '%s', ('00000000-0000-4000-9000-' || lpad(to_hex(c %% 5 + 1), 12, '0'))::uuid,
                           'bench-exec-' || c, '+1415' || lpad((c %% 9000000 + 1000000)::text, 7, '0'),
                           'Caller ' || c, CASE WHEN c %% 5 = 0 THEN 'failed' ELSE 'completed' END, c %% 11,
                           (c %% 11) * 60, c %% 11, now() - make_interval(secs => (c::bigint * 7919) %% (90 * 86400)),
                           now() - make_interval(secs => (c::bigint * 7919) %% (90 * 86400))
                      FROM generate_series(1, %d) AS c""".formatted(USER, CALLS));
            sql.execute("""
                    INSERT INTO lead_analytics (call_id, user_id, phone_number, analysis_type, total_score,
                                                lead_status_tag)
                    SELECT id, user_id, phone_number, 'individual', duration_minutes * 9,
                           CASE WHEN duration_minutes > 7 THEN 'Hot' WHEN duration_minutes > 3 THEN 'Warm' ELSE 'Cold' END
                      FROM calls WHERE user_id = '%s' AND right(phone_number, 1) IN ('0', '1', '2')""".formatted(USER));
            sql.execute("SET session_replication_role = origin");
            sql.execute("VACUUM ANALYZE calls");
            sql.execute("VACUUM ANALYZE lead_analytics");
        }
    }
}
