package ai.calling.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ai.calling.support.TestCampaigns;
import ai.calling.support.FakeBolna;
import ai.calling.support.IntegrationTest;

/**
 * Campaign dispatch throughput (issue 22): 100 tenants of equal demand, each with a running campaign
 * of {@code bench.recipients} recipients (default 300) and a limit of 20 calls at once, dialled by
 * the background dispatcher against a Bolna fake that answers at once and ends each call
 * {@code bench.call-ms} (default 200) later with a completed webhook; the platform cap is
 * {@code bench.platform-cap} (default 200). Prints dials per second over the measured window (from
 * the first dial until 80% of the recipients were dialled), Jain's fairness index of the tenants'
 * dials at half-way, and the most calls the fake saw in progress at once, overall and per agent.
 * Not part of the suite; run by bench/campaign-dispatch.sh.
 */
@IntegrationTest
class CampaignDispatchBenchmark {

    static final int TENANTS = 100;
    static final int RECIPIENTS = Integer.getInteger("bench.recipients", 300);
    static final int PLATFORM_CAP = Integer.getInteger("bench.platform-cap", 200);
    static final int CAMPAIGN_CAP = 20;
    static final String SECRET = "bench-campaigns";
    static final FakeBolna BOLNA = new FakeBolna();

    static {
        // e.g. each failed lead analysis (no OpenAI prompt here) is logged at INFO: quiet, so the figures stand alone
        System.setProperty("logging.level.ai.calling", "WARN");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestCampaigns.useBolna(registry, BOLNA, SECRET);
        registry.add("app.bolna.max-concurrent-calls", () -> String.valueOf(PLATFORM_CAP));
        registry.add("app.campaigns.dispatch", () -> "true");
        registry.add("app.campaigns.interval", () -> "20ms");
        // (the logging system reads its levels before this source applies: the static block below sets them)
        registry.add("logging.level.ai.calling", () -> "WARN");
        // the benchmark's own connections: the dispatcher, the webhook writers and processors, the dials' outcomes
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "20");
        // production's pause between looks for outbound deliveries (the tests' 100 ms polls 40 times a second)
        registry.add("app.outbound-webhooks.poll-interval", () -> "1s");
    }

    @AfterAll
    static void stop() {
        BOLNA.close();
    }

    /** The figures, printed together at the end in one write: log lines from other threads cannot split one. */
    final StringWriter figures = new StringWriter();
    final PrintWriter report = new PrintWriter(figures);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void dispatch() throws Exception {
        BOLNA.webhookUrl("http://localhost:" + port + "/api/webhooks/bolna?token=" + SECRET)
                .callLength(Duration.ofMillis(Integer.getInteger("bench.call-ms", 200)));
        Map<String, UUID> agentsByBolnaId = seed();
        int total = TENANTS * RECIPIENTS;
        long started = 0;
        Cpu cpuAtStart = null;
        long steadyFrom = 0;
        int steadyDials = 0;
        Cpu cpuAtSteady = null;
        long half = 0;
        Map<String, Long> atHalf = Map.of();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        jdbc.update("UPDATE campaigns SET status = 'running', started_at = now() WHERE name = 'bench'");
        while (System.nanoTime() < deadline) {
            int dialled = BOLNA.dials().size();
            if (started == 0 && dialled > 0) {
                started = System.nanoTime();
                cpuAtStart = cpu();
            }
            if (half == 0 && dialled >= total / 2) {
                half = System.nanoTime();
                atHalf = BOLNA.dials().stream().collect(Collectors.groupingBy(dial -> dial.path("agent_id").asString(),
                        Collectors.counting()));
            }
            if (steadyFrom == 0 && dialled >= total / 5) {
                steadyFrom = System.nanoTime();
                steadyDials = dialled;
                cpuAtSteady = cpu();
            }
            if (dialled >= total * 8 / 10) {
                long end = System.nanoTime();
                Cpu cpuAtEnd = cpu();
                report.printf("campaign_dials=%d%n", dialled);
                report.printf("campaign_dials_per_s=%.0f%n", dialled / ((end - started) / 1e9));
                // from 20% to 80% of the dials: warmed up (the JIT compilers took a third of the JVM's CPU in a
                // 100-second run), all tenants still dialling
                int steady = dialled - steadyDials;
                report.printf("campaign_steady_dials_per_s=%.0f (from 20%% to 80%% of the dials)%n",
                        steady / ((end - steadyFrom) / 1e9));
                report.printf("campaign_cpu_ms_per_dial=%s (whole run) %s (steady)%n",
                        perDial(cpuAtEnd.minus(cpuAtStart), dialled), perDial(cpuAtEnd.minus(cpuAtSteady), steady));
                break;
            }
            Thread.sleep(20);
        }
        List<Long> perTenant = new ArrayList<>();
        for (String agent : agentsByBolnaId.keySet()) {
            perTenant.add(atHalf.getOrDefault(agent, 0L));
        }
        double sum = perTenant.stream().mapToDouble(Long::doubleValue).sum();
        double squares = perTenant.stream().mapToDouble(x -> x * (double) x).sum();
        report.printf("campaign_jain_fairness_at_half=%.3f%n", sum * sum / (perTenant.size() * squares));
        report.printf("campaign_min_max_dials_per_tenant_at_half=%d/%d%n",
                perTenant.stream().mapToLong(Long::longValue).min().orElse(0),
                perTenant.stream().mapToLong(Long::longValue).max().orElse(0));
        report.printf("campaign_max_in_flight_total=%d (cap %d)%n", BOLNA.maxInFlightTotal(), PLATFORM_CAP);
        report.printf("campaign_max_in_flight_per_agent=%d (cap %d)%n", agentsByBolnaId.keySet().stream()
                .mapToInt(BOLNA::maxInFlight).max().orElse(0), CAMPAIGN_CAP);
        report.printf("campaign_throttled=%d%n", BOLNA.throttled());
        phases();
        report.flush();
        System.out.print(figures);
        System.out.flush();
        jdbc.update("UPDATE campaigns SET status = 'paused', pause_reason = 'user' WHERE name = 'bench'");
    }

    /**
     * Where a slot's cycle goes, from the rows the run wrote (median and 90th percentile over the calls
     * that ended, in ms): the dial recorded (calls.created_at) to the fake placing it (its execution's
     * created_at), placed to ended at the fake (ring delay, ringing webhook, call length), ended to its
     * completed webhook stored (received_at), stored to applied (processed_at: the slot is freed in that
     * transaction).
     */
    private void phases() {
        jdbc.query("""
                WITH ended AS (
                    SELECT c.created_at AS recorded, (e.payload ->> 'created_at')::timestamptz AS placed,
                           (e.payload ->> 'updated_at')::timestamptz AS ended, e.received_at AS stored,
                           e.processed_at AS applied
                      FROM bolna_webhook_events e JOIN calls c ON c.bolna_execution_id = e.execution_id
                     WHERE e.status = 'completed' AND e.processed_at IS NOT NULL)
                SELECT phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY ms) AS p90, count(*) AS n
                  FROM (SELECT 'recorded_to_placed' AS phase, 1 AS o, extract(epoch FROM placed - recorded) * 1000 AS ms FROM ended
                        UNION ALL SELECT 'placed_to_ended', 2, extract(epoch FROM ended - placed) * 1000 FROM ended
                        UNION ALL SELECT 'ended_to_stored', 3, extract(epoch FROM stored - ended) * 1000 FROM ended
                        UNION ALL SELECT 'stored_to_applied', 4, extract(epoch FROM applied - stored) * 1000 FROM ended) p
                 GROUP BY phase, o ORDER BY o""", rs -> {
            report.printf("campaign_phase_ms_%s=p50 %.0f p90 %.0f (n %d)%n", rs.getString("phase"),
                    rs.getDouble("p50"), rs.getDouble("p90"), rs.getLong("n"));
        });
    }

    /**
     * CPU time used so far, in ms: this JVM's (the server, the fake Bolna and this client), and the
     * PostgreSQL backends serving this database (read from /proc on this machine; the WAL writer and
     * other shared processes are not counted).
     */
    private Cpu cpu() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
        Map<Integer, Double> backends = new HashMap<>();
        for (Integer pid : jdbc.queryForList("SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
                Integer.class)) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime (fields 14 and 15 of stat; 12 and 13 after the name), in clock ticks of 10 ms
                backends.put(pid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0);
            } catch (IOException | RuntimeException e) {
                // the backend ended meanwhile, or PostgreSQL runs elsewhere: not counted
            }
        }
        return new Cpu(jvm, backends);
    }

    /** CPU per dial: the JVM's (the server, the fake Bolna and this client), its database's backends', the sum. */
    private static String perDial(Cpu used, int dials) {
        return "jvm %.2f + postgres %.2f = %.2f".formatted(used.jvmMs() / dials, used.postgresMs() / dials,
                (used.jvmMs() + used.postgresMs()) / dials);
    }

    /** CPU time in ms: the JVM's, and each PostgreSQL backend's by process id. */
    record Cpu(double jvmMs, Map<Integer, Double> backendMs) {
        double postgresMs() {
            return backendMs.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** What was used since {@code before} (a backend started since counts from zero). */
        Cpu minus(Cpu before) {
            Map<Integer, Double> used = new HashMap<>();
            backendMs.forEach((pid, ms) -> used.put(pid, ms - before.backendMs.getOrDefault(pid, 0.0)));
            return new Cpu(jvmMs - before.jvmMs, used);
        }
    }

    /** 100 tenants with an agent, plenty of credits and a draft campaign of RECIPIENTS recipients each. */
    private Map<String, UUID> seed() {
        Map<String, UUID> agents = new LinkedHashMap<>();
        for (int t = 0; t < TENANTS; t++) {
            UUID user = UUID.randomUUID();
            UUID agent = UUID.randomUUID();
            UUID campaign = UUID.randomUUID();
            String bolnaAgent = "bolna-bench-" + agent;
            jdbc.update("INSERT INTO users (id, email, name, credits, max_concurrent_calls) VALUES (?, ?, 'Bench', "
                    + "1000000, 1000)", user, user + "@bench.test");
            jdbc.update("INSERT INTO credit_transactions (user_id, type, amount, balance_after, description) "
                    + "VALUES (?, 'bonus', 1000000, 1000000, 'bench')", user);
            jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name, max_call_duration_seconds) "
                    + "VALUES (?, ?, ?, 'Bench', 60)", agent, user, bolnaAgent);
            jdbc.update("INSERT INTO campaigns (id, user_id, agent_id, name, timezone, window_start, window_end, "
                    + "window_days, max_concurrent_calls, retry_max_attempts, retry_on, retry_delay_minutes) "
                    + "VALUES (?, ?, ?, 'bench', 'UTC', '00:00', '23:59:59', '{1,2,3,4,5,6,7}', ?, 1, '{}', 60)",
                    campaign, user, agent, CAMPAIGN_CAP);
            // toll-free numbers: no zone of their own, the campaign's (UTC, open all day) applies
            jdbc.update("INSERT INTO campaign_recipients (campaign_id, user_id, phone_number) "
                    + "SELECT ?, ?, '+1800' || lpad((? * 10000 + n)::text, 7, '0') FROM generate_series(1, ?) AS n",
                    campaign, user, t + 200, RECIPIENTS);
            agents.put(bolnaAgent, agent);
        }
        return agents;
    }
}
