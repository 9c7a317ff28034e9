package ai.calling.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

import ai.calling.common.internal.ReportingReadRouting;
import ai.calling.support.FakeBolna;
import ai.calling.support.Http;
import ai.calling.support.StartedApplication;
import ai.calling.support.TestDatabase;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/**
 * With a replica configured, the report endpoints read from it and nothing else does. The "replica"
 * here is this run's database reached through read-only sessions (default_transaction_read_only,
 * application name "replica"): a write routed there would fail, so every write passing proves writes
 * stay on the primary, and every report answering 200 proves reports only read.
 */
class ReadReplicaRoutingTest {

    @Test
    void reportsReadFromTheReplicaAndEverythingElseFromThePrimary() {
        String primaryUrl = TestDatabase.get().url();
        String replicaUrl = primaryUrl + (primaryUrl.contains("?") ? "&" : "?")
                + "ApplicationName=replica&options=-c%20default_transaction_read_only=on";
        try (FakeBolna bolna = new FakeBolna(); StartedApplication app = StartedApplication.start(
                "--app.datasource.replica.url=" + replicaUrl, "--app.bolna.api-key=bn-key",
                "--app.bolna.base-url=" + bolna.baseUrl(), "--app.campaigns.dispatch=false")) {
            ReportingReadRouting routing = app.context().getBean(ReportingReadRouting.class);
            assertThat(app.context().getBean(DataSource.class)).isSameAs(routing);
            HikariDataSource replica = (HikariDataSource) routing.replica();
            JdbcTemplate primary = new JdbcTemplate(routing.primary());
            Http http = app.http();

            // writes and ordinary reads: the replica pool never starts
            SignedIn user = TestUsers.register(http);
            String agent = http.post("/api/agents", Map.of("name", "Replica", "welcomeMessage", "Hi", "systemPrompt",
                    "Be brief."), user.auth()).json().path("id").asString();
            assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550123", "name", "Ada"), user.auth())
                    .status()).isEqualTo(201);
            int offset = 12 - Instant.now().atOffset(ZoneOffset.UTC).getHour();
            Http.Response created = http.post("/api/campaigns", Map.of("name", "Reported", "agentId", agent, "timezone",
                    "Etc/GMT" + (offset > 0 ? "-" + offset : "+" + (-offset)), "callingWindow", Map.of("start", "06:00",
                            "end", "18:00", "days", List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")),
                    "maxConcurrentCalls", 3), user.auth());
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String campaign = created.json().path("id").asString();
            assertThat(http.get("/api/contacts", user.auth()).status()).isEqualTo(200);
            assertThat(http.get("/api/agents/" + agent, user.auth()).status()).isEqualTo(200);
            assertThat(replica.getHikariPoolMXBean()).as("the replica pool before any report").isNull();

            // every report answers from the read-only replica
            for (String report : List.of("/api/dashboard/overview", "/api/analytics/calls", "/api/analytics/agents",
                    "/api/analytics/sources", "/api/analytics/leads", "/api/analytics/agents/" + agent + "/trends",
                    "/api/analytics/agents/" + agent + "/outcomes", "/api/analytics/campaigns/" + campaign)) {
                Http.Response answer = http.get(report, user.auth());
                assertThat(answer.status()).as(report + ": " + answer.body()).isEqualTo(200);
            }
            assertThat(replica.getHikariPoolMXBean().getTotalConnections()).isPositive();
            assertThat(primary.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'replica'",
                    Integer.class)).isPositive();

            // a write after the reports still reaches the primary
            assertThat(http.post("/api/contacts", Map.of("phoneNumber", "+14155550124", "name", "Grace"), user.auth())
                    .status()).isEqualTo(201);
        }
    }
}
