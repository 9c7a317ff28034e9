package ai.calling.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;
import tools.jackson.databind.JsonNode;

/** Dashboard figures equal direct SQL over the base tables; bad ranges are refused. */
@IntegrationTest
class AnalyticsApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ai.calling.admin.MaintenanceJobs jobs;

    Http http;
    SignedIn user;
    UUID agent;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        user = TestUsers.register(http);
        agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Closer')", agent, user.id(),
                "bolna-" + agent);
    }

    @Test
    void theOverviewEqualsDirectSqlOverTheCalls() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        call("completed", 3, now.minusHours(1));
        call("completed", 5, now.minusDays(3));
        call("failed", 0, now.minusDays(10));
        call("completed", 7, now.minusDays(40));
        call("in_progress", 0, now.minusMinutes(5));

        JsonNode overview = http.get("/api/dashboard/overview", user.auth()).json();

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (Object[] window : new Object[][] { { "last30Days", today.minusDays(29) }, { "last7Days", today.minusDays(6) },
                { "lifetime", LocalDate.of(1970, 1, 1) } }) {
            Map<String, Object> direct = jdbc.queryForMap("""
                    SELECT count(*)::int AS calls, count(*) FILTER (WHERE status = 'completed')::int AS successful,
                           COALESCE(sum(duration_minutes), 0)::int AS minutes
                      FROM calls WHERE user_id = ? AND status IN ('completed', 'failed')
                       AND (created_at AT TIME ZONE 'UTC')::date >= ?""", user.id(), window[1]);
            JsonNode figures = overview.path((String) window[0]);
            assertThat(figures.path("calls").asInt()).as(window[0] + " calls").isEqualTo(direct.get("calls"));
            assertThat(figures.path("successfulCalls").asInt()).isEqualTo(direct.get("successful"));
            assertThat(figures.path("minutes").asInt()).isEqualTo(direct.get("minutes"));
        }
        assertThat(overview.path("last30Days").path("calls").asInt()).isEqualTo(3);
        assertThat(overview.path("lifetime").path("calls").asInt()).isEqualTo(4);
        assertThat(overview.path("creditsRemaining").asInt()).isEqualTo(15);
        assertThat(overview.path("bestAgent").path("name").asString()).isEqualTo("Closer");
    }

    @Test
    void seriesAgentsSourcesAndLeadsAnswerAndBadRangesAre400() {
        call("completed", 2, OffsetDateTime.now(ZoneOffset.UTC));

        Http.Response series = http.get("/api/analytics/calls?granularity=week", user.auth());
        assertThat(series.status()).isEqualTo(200);
        assertThat(series.json().path(0).path("totalCalls").asInt()).isOne();
        assertThat(http.get("/api/analytics/agents", user.auth()).json().path(0).path("agentName").asString())
                .isEqualTo("Closer");
        assertThat(http.get("/api/analytics/sources", user.auth()).json().path(0).path("callSource").asString())
                .isEqualTo("phone");
        assertThat(http.get("/api/analytics/leads", user.auth()).json().path("ctaFunnel").path("analysed").asInt()).isZero();

        assertThat(http.get("/api/analytics/calls?from=2026-03-02&to=2026-03-01", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/analytics/calls?from=2024-01-01&to=2026-01-01", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/analytics/calls?granularity=hour", user.auth()).status()).isEqualTo(400);
        assertThat(http.get("/api/dashboard/overview").status()).isEqualTo(401);
    }

    @Test
    void targetsReportTheirAchievementAndTrendsComeFromTheDailyJob() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        call("completed", 2, now);
        call("failed", 0, now);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        Http.Response created = http.post("/api/agents/" + agent + "/targets",
                Map.of("targetDate", today, "targetType", "daily", "targetCalls", 4, "targetSuccessRate", 50), user.auth());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("achievedCalls").asInt()).isEqualTo(2);
        assertThat(created.json().path("achievedSuccessRate").asDouble()).isEqualTo(50.0);
        assertThat(created.json().path("achievementPercentage").asDouble()).isEqualTo(75.0);
        assertThat(http.post("/api/agents/" + agent + "/targets", Map.of("targetDate", today, "targetType", "daily",
                "targetCalls", 1), user.auth()).status()).isEqualTo(409);
        assertThat(http.post("/api/agents/" + agent + "/targets", Map.of("targetDate", today, "targetType", "hourly",
                "targetCalls", 1), user.auth()).status()).isEqualTo(400);
        String id = created.json().path("id").asString();
        assertThat(http.delete("/api/agents/" + agent + "/targets/" + id, user.auth()).status()).isEqualTo(204);
        assertThat(http.get("/api/agents/" + agent + "/targets", user.auth()).json().size()).isZero();

        jobs.run("agent_performance_trends", "manual");
        JsonNode trends = http.get("/api/analytics/agents/" + agent + "/trends", user.auth()).json();
        assertThat(trends.path(0).path("periodType").asString()).isEqualTo("weekly");
        assertThat(trends.path(0).path("performanceRank").asInt()).isOne();
    }

    private void call(String status, int minutes, OffsetDateTime createdAt) {
        UUID call = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO calls (id, user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes,
                                   duration_seconds, created_at)
                VALUES (?, ?, ?, ?, '+14155550150', ?, ?, ?, ?)""", call, user.id(), agent, "exec-" + call, status, minutes,
                minutes * 60, createdAt);
    }
}
