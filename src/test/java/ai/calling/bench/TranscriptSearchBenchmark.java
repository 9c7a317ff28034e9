package ai.calling.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
 * Transcript search at 1,000,000 transcripts (issue 24, goal p95 under 50 ms for a two-word query
 * of one tenant): 1,000 users, 5,000 agents and 1,000,000 calls laid out as the dashboard benchmark
 * lays them out (1,000 calls a user, over the last 90 days), each with a 60-word transcript drawn from
 * a vocabulary of conversation filler and 400 topic words; then two-word searches of one tenant over
 * HTTP, 1 and 4 clients, after a warm-up. Not part of the suite; run by bench/transcript-search.sh.
 */
@IntegrationTest
class TranscriptSearchBenchmark {

    static final UUID USER = UUID.fromString("00000000-0000-4000-8000-000000000001");
    static final int CALLS = Integer.getInteger("bench.calls", 1_000_000);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void search() throws Exception {
        long seeded = System.nanoTime();
        seed();
        System.out.printf("search_seed_s=%.1f%n", (System.nanoTime() - seeded) / 1e9);
        System.out.println("search_transcripts=" + jdbc.queryForObject("SELECT count(*) FROM transcripts", Long.class));
        System.out.println("search_tenant_transcripts="
                + jdbc.queryForObject("SELECT count(*) FROM transcripts WHERE user_id = ?", Long.class, USER));
        jdbc.update("UPDATE users SET password_hash = ? WHERE id = ?", passwords.encode(TestUsers.PASSWORD), USER);
        String access = new Http(port).post("/api/auth/login", Map.of("email", "bench1@bench.test",
                "password", TestUsers.PASSWORD)).json().path("accessToken").asString();
        for (String query : List.of("pricing demo", "call back")) {
            String path = "/api/transcripts/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
            System.out.println("search_hits \"" + query + "\"="
                    + new Http(port).get(path, "Authorization", "Bearer " + access).json().path("totalItems").asLong());
            BenchClients.measure(port, path, access, 2, 200);
            for (int clients : new int[] { 1, 4 }) {
                BenchClients.Latency latency = BenchClients.measure(port, path, access, clients, 1000);
                System.out.printf("search \"%s\" clients=%d p50_ms=%.1f p95_ms=%.1f%n", query, clients,
                        latency.p50Ms(), latency.p95Ms());
            }
        }
    }

    /**
     * One connection, committed chunk by chunk; the accounts go in with triggers on (each gets its own
     * workspace membership, which signing in needs), the rest with triggers off (the search reads no rollup).
     */
    private void seed() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            sql.execute("""
                    INSERT INTO users (id, email, name, credits)
                    SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid, 'bench' || u || '@bench.test',
                           'Bench ' || u, 1000
                      FROM generate_series(1, 1000) AS u""");
            sql.execute("SET session_replication_role = replica");
            sql.execute("""
                    INSERT INTO agents (id, user_id, bolna_agent_id, name)
                    SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(a), 12, '0'))::uuid,
                           ('00000000-0000-4000-8000-' || lpad(to_hex((a - 1) / 5 + 1), 12, '0'))::uuid,
                           'bench-agent-' || a, 'Agent ' || a
                      FROM generate_series(1, 5000) AS a""");
            sql.execute("""
                    CREATE TEMP TABLE vocabulary AS
                    SELECT ARRAY['yes', 'no', 'okay', 'so', 'the', 'a', 'and', 'we', 'you', 'i', 'it', 'is', 'that',
                                 'can', 'call', 'back', 'thank', 'great', 'sure', 'right', 'well', 'just', 'know',
                                 'think', 'would', 'like', 'time', 'today', 'tomorrow', 'week', 'now', 'good', 'hello',
                                 'hi', 'please', 'maybe', 'really', 'about', 'with', 'for', 'your', 'our', 'team',
                                 'next', 'speak', 'talk', 'help', 'need', 'want', 'question'] AS filler,
                           ARRAY['pricing', 'demo', 'invoice', 'refund', 'schedule', 'discount', 'delivery', 'contract',
                                 'upgrade', 'outlet', 'menu', 'catering', 'subscription', 'trial', 'onboarding',
                                 'integration', 'payment', 'warranty', 'installation', 'quotation', 'budget',
                                 'approval', 'manager', 'competitor', 'feature', 'support', 'renewal', 'license',
                                 'shipment', 'order', 'booking', 'appointment', 'complaint', 'feedback', 'proposal',
                                 'meeting', 'email', 'brochure', 'location', 'franchise']
                           || ARRAY(SELECT 'topic' || g FROM generate_series(1, 360) AS g) AS topics""");
            int chunk = 100_000;
            for (int from = 1; from <= CALLS; from += chunk) {
                int to = Math.min(CALLS, from + chunk - 1);
                sql.execute("""
                        INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes,
                                           duration_seconds, credits_used, created_at)
                        SELECT ('00000000-0000-4000-8000-' || lpad(to_hex((c %% 5000) / 5 + 1), 12, '0'))::uuid,
                               ('00000000-0000-4000-9000-' || lpad(to_hex(c %% 5000 + 1), 12, '0'))::uuid,
                               'bench-exec-' || c, '+1415' || lpad((c %% 9000000 + 1000000)::text, 7, '0'),
                               'completed', c %% 11, (c %% 11) * 60, c %% 11,
                               now() - make_interval(secs => (c::bigint * 7919) %% (90 * 86400))
                          FROM generate_series(%d, %d) AS c""".formatted(from, to));
                sql.execute("""
                        INSERT INTO transcripts (call_id, user_id, content)
                        SELECT c.id, c.user_id,
                               (SELECT string_agg(CASE WHEN i %% 3 = 0
                                           THEN v.topics[1 + abs(hashint8(n::bigint * 64 + i)) %% 400]
                                           ELSE v.filler[1 + abs(hashint8(n::bigint * 64 + i)) %% 50] END, ' ')
                                  FROM generate_series(1, 60) AS i)
                          FROM generate_series(%d, %d) AS n
                          JOIN calls c ON c.bolna_execution_id = 'bench-exec-' || n
                         CROSS JOIN vocabulary v""".formatted(from, to));
                System.out.printf("search_seeded=%d%n", to);
            }
            sql.execute("SET session_replication_role = origin");
            sql.execute("VACUUM ANALYZE users");
            sql.execute("VACUUM ANALYZE agents");
            sql.execute("VACUUM ANALYZE calls");
            sql.execute("VACUUM ANALYZE transcripts");
        }
    }
}
