package ai.calling.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;

import ai.calling.Application;
import ai.calling.analytics.AnalyticsService;
import ai.calling.support.Http;
import ai.calling.support.TestDatabase;
import ai.calling.support.TestDatabaseInitializer;
import ai.calling.support.TestUsers;

/**
 * The primary's load under the dashboard reads with and without the read replica (decision 0018).
 * A fresh database on the local PostgreSQL is migrated and seeded with a slice of
 * bench/seed-dashboard.sql ({@code -Dbench.chunks} chunks of 100,000 calls, 2 by default); then the
 * application runs twice against it, first with the primary only, then with
 * {@code app.datasource.replica.url} (SPRING_DATASOURCE_REPLICA_URL) pointing at the same database on
 * the streaming replica that bench/read-replica.sh started ({@code -Dbench.replica.port}, 5433).
 * Each run: {@code -Dbench.clients} (8) loopback clients call the overview and three analytics
 * endpoints of one seeded user in turn, with the per-user cache evicted before every request, for
 * {@code -Dbench.seconds} (30) after a 10 s warm-up. Counted on each server over the run: the
 * database's pg_stat_database counters (transactions, blocks, tuples) and the CPU time of its
 * backends (/proc/PID/stat, sampled every 500 ms, so a backend that ends within the run loses at most
 * that much); also the walsender (primary) and the startup process (replica), which replication costs
 * whatever the application does. Before the measured window the counters of an idle window of 10 s
 * (the application's background pollers) are printed as the noise floor.
 * Not part of the suite; run by bench/read-replica.sh.
 */
class ReadReplicaBenchmark {

    static final UUID USER = DashboardBenchmark.USER;
    static final List<String> PATHS = List.of("/api/dashboard/overview", "/api/analytics/calls?granularity=week",
            "/api/analytics/agents", "/api/analytics/leads");
    /** Linux's USER_HZ: /proc/PID/stat counts CPU time in hundredths of a second on every common build. */
    static final double TICKS_PER_SECOND = 100.0;
    /** PostgreSQL 15 flushes an idle backend's pending statistics after 10 s (PGSTAT_IDLE_INTERVAL). */
    static final long STATS_FLUSH_MS = 11_500;

    final int replicaPort = Integer.getInteger("bench.replica.port", 5433);
    final int seconds = Integer.getInteger("bench.seconds", 30);
    final int clients = Integer.getInteger("bench.clients", 8);
    final int chunks = Integer.getInteger("bench.chunks", 2);

    @Test
    void primaryLoadWithAndWithoutTheReplica() throws Exception {
        TestDatabase database = TestDatabase.get();
        String replicaUrl = withPort(database.url(), replicaPort);
        ConfigurableApplicationContext app = start();
        try {
            long seeded = System.nanoTime();
            seed(chunks);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            jdbc.execute("SELECT scheduled_refresh_user_kpi_summary()");
            System.out.printf("replica_seed calls=%d user_calls=%d seconds=%.0f%n",
                    jdbc.queryForObject("SELECT count(*) FROM calls", Long.class),
                    jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ?", Long.class, USER),
                    (System.nanoTime() - seeded) / 1e9);
            jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?",
                    app.getBean(PasswordEncoder.class).encode(TestUsers.PASSWORD), USER);
            String lsnAfterSeed = jdbc.queryForObject("SELECT pg_current_wal_lsn()::text", String.class);
            // the primary alone before and after the replica, so that what the JVM's warming up gives
            // the later runs shows as a difference between the two primary-only runs
            List<String> modes = List.of(System.getProperty("bench.modes", "primary_only,with_replica,primary_only")
                    .split(","));
            for (int i = 0; i < modes.size(); i++) {
                boolean replica = modes.get(i).equals("with_replica");
                if (replica) {
                    awaitReplay(replicaUrl, lsnAfterSeed);
                }
                if (i > 0 || replica) {
                    app.close();
                    app = replica ? start("--app.datasource.replica.url=" + replicaUrl) : start();
                }
                boolean routing = app.getBean(DataSource.class).getClass().getSimpleName().equals("ReportingReadRouting");
                if (routing != replica) {
                    throw new IllegalStateException("Run " + (i + 1) + ": the routing DataSource is " + (routing ? ""
                            : "not ") + "installed");
                }
                run(modes.get(i) + " run=" + (i + 1), app, database, replicaUrl);
            }
        } finally {
            app.close();
        }
    }

    private void run(String mode, ConfigurableApplicationContext app, TestDatabase database, String replicaUrl)
            throws Exception {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        String access = new Http(port).post("/api/auth/login", Map.of("email", "bench1@bench.test", "password",
                TestUsers.PASSWORD)).json().path("accessToken").asString();
        AnalyticsService analytics = app.getBean(AnalyticsService.class);
        String name = database.databaseName();
        load(port, access, analytics, 10); // JIT, and the pools' connections open
        try (Connection primary = DriverManager.getConnection(withDatabase(database.url(), "postgres"),
                database.username(), database.password());
                Connection replica = DriverManager.getConnection(withDatabase(replicaUrl, "postgres"),
                        database.username(), database.password())) {
            Thread.sleep(STATS_FLUSH_MS);
            Map<String, Long> idleFrom = counters(primary, name);
            Thread.sleep(10_000);
            Map<String, Long> idleTo = counters(primary, name);
            Thread.sleep(STATS_FLUSH_MS);
            Map<String, Long> primaryFrom = counters(primary, name);
            Map<String, Long> replicaFrom = counters(replica, name);
            CpuSampler cpu = new CpuSampler(primary, replica, name);
            cpu.sample();
            Thread sampler = Thread.ofPlatform().daemon().start(cpu);
            Result result = load(port, access, analytics, seconds);
            String[] loadavg = Files.readString(Path.of("/proc/loadavg")).split(" ");
            String loadAverage = loadavg[0] + "/" + loadavg[1] + "/" + loadavg[2];
            cpu.stop(sampler);
            Thread.sleep(STATS_FLUSH_MS);
            Map<String, Long> primaryDelta = minus(counters(primary, name), primaryFrom);
            Map<String, Long> replicaDelta = minus(counters(replica, name), replicaFrom);
            Map<String, Long> idle = minus(idleTo, idleFrom);

            double perRequest = result.requests();
            System.out.printf("replica_idle mode=%s seconds=10 primary_xacts=%d primary_blks=%d primary_tuples=%d%n", mode,
                    idle.get("xacts"), idle.get("blks_hit") + idle.get("blks_read"),
                    idle.get("tup_returned") + idle.get("tup_fetched"));
            System.out.printf("replica_run mode=%s clients=%d seconds=%d requests=%d requests_per_s=%.1f p50_ms=%.1f "
                    + "p95_ms=%.1f load_average=%s%n", mode, clients, seconds, result.requests(),
                    result.requests() / (double) seconds, result.p50Ms(), result.p95Ms(), loadAverage);
            for (String server : List.of("primary", "replica")) {
                Map<String, Long> d = server.equals("primary") ? primaryDelta : replicaDelta;
                System.out.printf("replica_load mode=%s server=%s xacts=%d blks_hit=%d blks_read=%d tup_returned=%d "
                        + "tup_fetched=%d backend_cpu_s=%.2f xacts_per_request=%.2f blks_per_request=%.1f "
                        + "tuples_per_request=%.1f%n", mode, server, d.get("xacts"), d.get("blks_hit"),
                        d.get("blks_read"), d.get("tup_returned"), d.get("tup_fetched"), cpu.seconds(server, "backend"),
                        d.get("xacts") / perRequest, (d.get("blks_hit") + d.get("blks_read")) / perRequest,
                        (d.get("tup_returned") + d.get("tup_fetched")) / perRequest);
            }
            long primaryBlocks = primaryDelta.get("blks_hit") + primaryDelta.get("blks_read");
            long replicaBlocks = replicaDelta.get("blks_hit") + replicaDelta.get("blks_read");
            double primaryCpu = cpu.seconds("primary", "backend");
            double replicaCpu = cpu.seconds("replica", "backend");
            System.out.printf("replica_share mode=%s blocks=%.3f tuples=%.3f xacts=%.3f backend_cpu=%.3f "
                    + "walsender_cpu_s=%.2f (%d) replica_startup_cpu_s=%.2f (%d)%n", mode,
                    share(replicaBlocks, primaryBlocks),
                    share(replicaDelta.get("tup_returned") + replicaDelta.get("tup_fetched"),
                            primaryDelta.get("tup_returned") + primaryDelta.get("tup_fetched")),
                    share(replicaDelta.get("xacts"), primaryDelta.get("xacts")),
                    replicaCpu + primaryCpu == 0 ? 0 : replicaCpu / (replicaCpu + primaryCpu),
                    cpu.seconds("primary", "walsender"), cpu.count("primary", "walsender"),
                    cpu.seconds("replica", "startup"), cpu.count("replica", "startup"));
        }
    }

    private static double share(long replica, long primary) {
        return replica + primary == 0 ? 0 : replica / (double) (replica + primary);
    }

    record Result(long requests, double p50Ms, double p95Ms) {
    }

    /** {@code clients} threads, each calling the report endpoints in turn until the time is up. */
    private Result load(int port, String access, AnalyticsService analytics, int forSeconds) throws Exception {
        long deadline = System.nanoTime() + forSeconds * 1_000_000_000L;
        // each client starts at its own endpoint and goes round them all
        BenchClients.Latency latency = BenchClients.measure(port, access, clients, n -> System.nanoTime() < deadline,
                (thread, n) -> PATHS.get((thread + n) % PATHS.size()), () -> analytics.evict(USER));
        return new Result(latency.requests(), latency.p50Ms(), latency.p95Ms());
    }

    private static Map<String, Long> counters(Connection admin, String database) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement("SELECT xact_commit + xact_rollback, blks_hit, "
                + "blks_read, tup_returned, tup_fetched FROM pg_stat_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("No statistics for " + database);
                }
                return Map.of("xacts", row.getLong(1), "blks_hit", row.getLong(2), "blks_read", row.getLong(3),
                        "tup_returned", row.getLong(4), "tup_fetched", row.getLong(5));
            }
        }
    }

    private static Map<String, Long> minus(Map<String, Long> to, Map<String, Long> from) {
        Map<String, Long> delta = new HashMap<>();
        to.forEach((key, value) -> delta.put(key, value - from.get(key)));
        return delta;
    }

    /**
     * CPU time of each server's processes over the measured window: the database's backends, the
     * walsender (primary) and the startup process replaying WAL (replica). A process first seen
     * after the window began counts from zero (a connection opened within the window).
     */
    static final class CpuSampler implements Runnable {

        private record Role(String server, String kind) {
        }

        private final Connection primary;
        private final Connection replica;
        private final String database;
        private final Map<Integer, Role> kinds = new HashMap<>();
        private final Map<Integer, Long> first = new HashMap<>();
        private final Map<Integer, Long> last = new HashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private boolean started;

        CpuSampler(Connection primary, Connection replica, String database) {
            this.primary = primary;
            this.replica = replica;
            this.database = database;
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    Thread.sleep(500);
                    sample();
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        void stop(Thread sampler) throws Exception {
            running.set(false);
            sampler.join();
            sample();
        }

        synchronized void sample() throws SQLException {
            for (String server : List.of("primary", "replica")) {
                Connection admin = server.equals("primary") ? primary : replica;
                try (PreparedStatement statement = admin.prepareStatement("SELECT pid, CASE WHEN datname = ? THEN "
                        + "'backend' ELSE backend_type END FROM pg_stat_activity WHERE (datname = ? AND pid <> "
                        + "pg_backend_pid()) OR backend_type IN ('walsender', 'startup')")) {
                    statement.setString(1, database);
                    statement.setString(2, database);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            int pid = rows.getInt(1);
                            Long ticks = ticks(pid);
                            if (ticks == null) {
                                continue;
                            }
                            kinds.putIfAbsent(pid, new Role(server, rows.getString(2)));
                            first.putIfAbsent(pid, started ? 0L : ticks);
                            last.put(pid, ticks);
                        }
                    }
                }
            }
            started = true;
        }

        synchronized double seconds(String server, String kind) {
            long sum = 0;
            for (Map.Entry<Integer, Role> process : kinds.entrySet()) {
                if (process.getValue().equals(new Role(server, kind))) {
                    sum += last.get(process.getKey()) - first.get(process.getKey());
                }
            }
            return sum / TICKS_PER_SECOND;
        }

        synchronized long count(String server, String kind) {
            return kinds.values().stream().filter(new Role(server, kind)::equals).count();
        }

        /** utime + stime of /proc/PID/stat (fields 14 and 15), null when the process is gone. */
        private static Long ticks(int pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Waits until the replica has replayed the primary's WAL up to the seed's end. */
    private void awaitReplay(String replicaUrl, String lsn) throws Exception {
        TestDatabase database = TestDatabase.get();
        long waited = System.nanoTime();
        try (Connection replica = DriverManager.getConnection(replicaUrl, database.username(), database.password());
                PreparedStatement caughtUp = replica.prepareStatement(
                        "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            caughtUp.setString(1, lsn);
            while (true) {
                try (ResultSet row = caughtUp.executeQuery()) {
                    row.next();
                    if (row.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() - waited > 600_000_000_000L) {
                    throw new IllegalStateException("The replica did not replay the seed within 10 minutes");
                }
                Thread.sleep(500);
            }
            try (ResultSet row = replica.createStatement().executeQuery(
                    "SELECT count(*) FROM calls WHERE user_id = '" + USER + "'")) {
                row.next();
                System.out.printf("replica_caught_up waited_s=%.1f replica_user_calls=%d%n",
                        (System.nanoTime() - waited) / 1e9, row.getLong(1));
            }
        }
    }

    /** The application as its own context (as StartedApplication, with the dashboard benchmark's pool of 10). */
    private static ConfigurableApplicationContext start(String... more) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--app.database.preflight=false",
                "--spring.docker.compose.enabled=false", "--app.jobs.enabled=false",
                "--app.security.jwt-secret=" + TestDatabase.JWT_SECRET, "--spring.datasource.hikari.maximum-pool-size=10",
                "--spring.datasource.hikari.minimum-idle=1", "--app.security.auth-requests-per-minute=1000000",
                "--app.campaigns.dispatch=false", "--logging.level.ai.calling=WARN"));
        arguments.addAll(List.of(more));
        return new SpringApplicationBuilder(Application.class).initializers(new TestDatabaseInitializer())
                .run(arguments.toArray(String[]::new));
    }

    /** bench/seed-dashboard.sql with its two loops cut to {@code chunks} chunks of 100,000 calls, through psql. */
    private static void seed(int chunks) throws Exception {
        String script = Files.readString(Path.of("bench/seed-dashboard.sql"));
        String full = "FOR chunk IN 0..9 LOOP";
        if (script.split(Pattern.quote(full), -1).length != 3) {
            throw new IllegalStateException("bench/seed-dashboard.sql no longer has its two loops of 10 chunks");
        }
        script = script.replace(full, "FOR chunk IN 0.." + (chunks - 1) + " LOOP");
        TestDatabase database = TestDatabase.get();
        URI url = URI.create(database.url().substring("jdbc:".length()));
        ProcessBuilder command = new ProcessBuilder("psql", "-h", url.getHost(), "-p", String.valueOf(url.getPort()),
                "-U", database.username(), "-d", url.getPath().substring(1), "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")
                .redirectErrorStream(true);
        if (database.password() != null) {
            command.environment().put("PGPASSWORD", database.password());
        }
        Process psql = command.start();
        try (OutputStream in = psql.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        psql.getInputStream().transferTo(System.out);
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("The seed failed");
        }
    }

    private static String withPort(String jdbcUrl, int port) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/:]+)(:\\d+)?/", "$1:" + port + "/");
    }

    private static String withDatabase(String jdbcUrl, String database) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
    }
}
