package ai.calling.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.Http;
import ai.calling.support.IntegrationTest;
import ai.calling.support.TestUsers;
import ai.calling.support.TestUsers.SignedIn;

/** The admin console's platform views and maintenance jobs. */
@IntegrationTest
class AdminPlatformTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MaintenanceJobs jobs;

    @Autowired
    TransactionTemplate transactions;

    Http http;
    SignedIn admin;
    SignedIn user;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        admin = TestUsers.register(http);
        jdbc.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
        user = TestUsers.register(http);
    }

    @Test
    void aUserIsForbiddenEverywhereUnderAdmin() {
        for (String path : new String[] { "/api/admin/stats", "/api/admin/jobs", "/api/admin/sessions",
                "/api/admin/login-stats", "/api/admin/consistency", "/api/admin/health/triggers" }) {
            assertThat(http.get(path, user.auth()).status()).as(path).isEqualTo(403);
        }
        assertThat(http.post("/api/admin/jobs/cleanup_expired_sessions/run", "", user.auth()).status()).isEqualTo(403);
    }

    @Test
    void statsSessionsLoginStatsAndHealthAnswer() {
        Map<String, Object> direct = jdbc.queryForMap("SELECT count(*) AS users, count(*) FILTER (WHERE is_active) AS active FROM users");
        Http.Response stats = http.get("/api/admin/stats", admin.auth());
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.json().path("users").asLong()).isGreaterThanOrEqualTo(((Number) direct.get("users")).longValue());
        assertThat(http.get("/api/admin/sessions", admin.auth()).json().findValuesAsString("email")).contains(user.email());
        assertThat(http.get("/api/admin/login-stats?size=100", admin.auth()).status()).isEqualTo(200);
        assertThat(http.get("/api/admin/health/triggers", admin.auth()).json().path("triggers").isArray()).isTrue();
        assertThat(http.get("/api/admin/consistency", admin.auth()).json().findValuesAsString("checkName"))
                .contains("calls_agents_mismatch", "credits_ledger_mismatch");
        assertThat(http.get("/api/admin/users/" + user.id() + "/isolation-audit", admin.auth()).json().size())
                .isGreaterThan(0);
    }

    @Test
    void statsAndTheUserListReadTheKpiViewWithItsRefreshTime() {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Kpi agent')", agent,
                user.id(), "bolna-" + agent);
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes) "
                + "VALUES (?, ?, ?, '+14155550161', 'completed', 3)", user.id(), agent, "exec-" + agent);
        String listUser = "/api/admin/users?search=" + user.email();

        // until the job refreshes the view, the new account has no KPI row (and says so with null)
        assertThat(http.get(listUser, admin.auth()).json().path("items").path(0).path("kpis").isNull()).isTrue();

        assertThat(http.post("/api/admin/jobs/refresh_user_kpi_summary/run", "", admin.auth()).status()).isEqualTo(200);
        Instant refreshedAt = jdbc.queryForObject(
                "SELECT max(calculated_at) FROM user_kpi_summary", Timestamp.class).toInstant();

        var kpis = http.get(listUser, admin.auth()).json().path("items").path(0).path("kpis");
        assertThat(kpis.path("calls30Days").asLong()).isOne();
        assertThat(kpis.path("successfulCalls30Days").asLong()).isOne();
        assertThat(kpis.path("minutes30Days").asLong()).isEqualTo(3);
        assertThat(Instant.parse(kpis.path("calculatedAt").asText())).isEqualTo(refreshedAt);

        var platform = http.get("/api/admin/stats", admin.auth()).json().path("kpis");
        assertThat(Instant.parse(platform.path("calculatedAt").asText())).isEqualTo(refreshedAt);
        assertThat(platform.path("calls30Days").asLong()).isEqualTo(
                jdbc.queryForObject("SELECT sum(total_calls_30d) FROM user_kpi_summary", Long.class)).isPositive();
        // a call placed after the refresh shows in the live counts, not in the KPI figures until the next one
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status) "
                + "VALUES (?, ?, ?, '+14155550162', 'completed')", user.id(), agent, "exec2-" + agent);
        var item = http.get(listUser, admin.auth()).json().path("items").path(0);
        assertThat(item.path("callCount").asLong()).isEqualTo(2);
        assertThat(item.path("kpis").path("calls30Days").asLong()).isOne();
    }

    /** A call whose analytics trigger failed (logged, the call committed) is counted once the repair job has run. */
    @Test
    void theRepairJobCountsACallWhoseAnalyticsTriggerFailed() {
        UUID agent = completedCallWithTriggerFailing("trg_calls_daily_analytics", "now()");
        String agentCalls = "SELECT COALESCE(sum(total_calls), 0) FROM agent_analytics WHERE agent_id = ?";
        assertThat(jdbc.queryForObject(agentCalls, Long.class, agent)).isZero();

        var run = http.post("/api/admin/jobs/repair_analytics_days/run", "", admin.auth());

        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().path("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.json().path("detail").asText()).matches("days [1-9][0-9]*");
        assertThat(jdbc.queryForObject(agentCalls, Long.class, agent)).isOne();
        assertThat(jdbc.queryForObject("SELECT total_calls FROM user_analytics WHERE user_id = ? AND hour IS NULL",
                Long.class, user.id())).isOne();
    }

    /** The nightly job recomputes yesterday's day, week and month of each account from its calls, one account at a time. */
    @Test
    void theNightlyRecomputationCountsYesterdaysCallThatTheCacheMissed() {
        completedCallWithTriggerFailing("trigger_calls_update_analytics_cache", "now() - interval '1 day'");
        String yesterday = "SELECT total_calls FROM call_analytics_cache WHERE user_id = ? AND period_type = 'daily' "
                + "AND date_period = (now() AT TIME ZONE 'UTC')::date - 1";
        assertThat(jdbc.queryForList(yesterday, Integer.class, user.id())).isEmpty();

        var run = http.post("/api/admin/jobs/batch_calculate_call_analytics/run", "", admin.auth());

        assertThat(run.json().path("outcome").asText()).isEqualTo("succeeded");
        assertThat(run.json().path("detail").asText()).matches("accounts [1-9][0-9]*");
        assertThat(jdbc.queryForList(yesterday, Integer.class, user.id())).containsExactly(1);
    }

    /** A new agent of the user and a completed call of it, created at the given SQL time, written while the named analytics trigger fails; returns the agent. */
    private UUID completedCallWithTriggerFailing(String trigger, String createdAt) {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Analytics')", agent,
                user.id(), "bolna-" + agent);
        transactions.executeWithoutResult(status -> {
            jdbc.execute("SET LOCAL app.simulate_trigger_failure = '" + trigger + "'");
            jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, duration_minutes, "
                    + "credits_used, created_at) VALUES (?, ?, ?, '+14155550163', 'completed', 2, 2, " + createdAt + ")",
                    user.id(), agent, "exec-" + agent);
        });
        return agent;
    }

    @Test
    void adminsSeeAgentsCallsAndUsersAcrossTenantsWithFilters() {
        UUID agent = UUID.randomUUID();
        jdbc.update("INSERT INTO agents (id, user_id, bolna_agent_id, name) VALUES (?, ?, ?, 'Cross tenant')", agent,
                user.id(), "bolna-" + agent);
        jdbc.update("INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status) "
                + "VALUES (?, ?, ?, '+14155550160', 'completed')", user.id(), agent, "exec-" + agent);

        assertThat(http.get("/api/admin/agents?userId=" + user.id(), admin.auth()).json().path("items")
                .findValuesAsString("ownerEmail")).containsExactly(user.email());
        assertThat(http.get("/api/admin/calls?userId=" + user.id() + "&status=completed", admin.auth()).json()
                .path("totalItems").asLong()).isOne();
        Http.Response users = http.get("/api/admin/users?search=" + user.email() + "&role=user&active=true", admin.auth());
        assertThat(users.json().path("items").path(0).path("agentCount").asInt()).isOne();
        assertThat(users.json().path("items").path(0).path("callCount").asInt()).isOne();
        assertThat(http.get("/api/admin/users?role=admin&search=" + user.email(), admin.auth()).json().path("totalItems")
                .asLong()).isZero();
        assertThat(http.get("/api/admin/audit-log?adminUserId=" + admin.id() + "&from=2000-01-01T00:00:00Z", admin.auth())
                .status()).isEqualTo(200);
    }

    @Test
    void revokingAUsersSessionsEndsThemAndIsAudited() {
        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(200);

        Http.Response revoked = http.post("/api/admin/users/" + user.id() + "/sessions/revoke", "", admin.auth());

        assertThat(revoked.json().path("revoked").asInt()).isEqualTo(1);
        assertThat(http.get("/api/auth/me", user.auth()).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM admin_audit_log WHERE target_user_id = ? "
                + "AND action = 'user.sessions_revoked'", Long.class, user.id())).isOne();
    }

    @Test
    void configValuesAreTypeCheckedAppliedAtOnceAndAudited() {
        Http.Response wrongType = http.put("/api/admin/config/max_login_attempts", Map.of("value", "many"), admin.auth());
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(http.put("/api/admin/config/password_min_length", Map.of("value", "4"), admin.auth()).status())
                .isEqualTo(400);
        assertThat(http.put("/api/admin/config/feature_bogus_flag", Map.of("value", "x"), admin.auth()).status())
                .isEqualTo(404);
        assertThat(http.get("/api/admin/config/max_login_attempts", admin.auth()).json().path("value").asString())
                .isEqualTo("5");
        assertThat(http.put("/api/admin/config/max_login_attempts", Map.of("value", "5"), user.auth()).status())
                .isEqualTo(403);

        Http.Response changed = http.put("/api/admin/config/password_min_length", Map.of("value", "12"), admin.auth());
        try {
            assertThat(changed.status()).isEqualTo(200);
            Http.Response shortPassword = http.post("/api/auth/register", Map.of("email", "cfg-" + UUID.randomUUID()
                    + "@example.test", "password", "Eleven-Char", "name", "X"));
            assertThat(shortPassword.status()).as("the new minimum applies without a restart").isEqualTo(400);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM admin_audit_log WHERE action = 'config.changed' "
                    + "AND resource_id = 'password_min_length'", Long.class)).isPositive();
        } finally {
            http.put("/api/admin/config/password_min_length", Map.of("value", "8"), admin.auth());
        }
    }

    @Test
    void everyJobRunsOnDemandAndItsRunIsRecorded() {
        for (String name : jobs.names()) {
            Http.Response run = http.post("/api/admin/jobs/" + name + "/run", "", admin.auth());
            assertThat(run.status()).as(name).isEqualTo(200);
            assertThat(run.json().path("outcome").asString()).as(name + ": " + run.body()).isEqualTo("succeeded");
        }
        Http.Response status = http.get("/api/admin/jobs", admin.auth());
        assertThat(status.json().findValuesAsString("outcome")).containsOnly("succeeded");
        assertThat(http.post("/api/admin/jobs/drop_everything/run", "", admin.auth()).status()).isEqualTo(404);
        assertThat(jobs.kpiRefreshDue()).as("just refreshed").isFalse();
    }

    @Test
    void webhookDeliveriesAreKeptForTheConfiguredNumberOfDays() {
        assertThat(http.put("/api/admin/config/webhook_event_retention_days", Map.of("value", "0"), admin.auth())
                .status()).isEqualTo(400);
        String execution = "retention-" + UUID.randomUUID();
        String insert = "INSERT INTO bolna_webhook_events (execution_id, payload, state, received_at) "
                + "VALUES (?, '{}'::jsonb, ?, now() - ?::interval)";
        jdbc.update(insert, execution, "processed", "40 days");
        jdbc.update(insert, execution, "processed", "20 days");
        jdbc.update(insert, execution, "failed", "40 days");
        String count = "SELECT count(*) FROM bolna_webhook_events WHERE execution_id = ?";

        Http.Response byDefault = http.post("/api/admin/jobs/cleanup_bolna_webhook_events/run", "", admin.auth());
        assertThat(byDefault.json().path("outcome").asString()).isEqualTo("succeeded");
        assertThat(jdbc.queryForObject(count, Long.class, execution)).as("90 days by default").isEqualTo(3);

        assertThat(http.put("/api/admin/config/webhook_event_retention_days", Map.of("value", "30"), admin.auth())
                .status()).isEqualTo(200);
        try {
            Http.Response run = http.post("/api/admin/jobs/cleanup_bolna_webhook_events/run", "", admin.auth());
            assertThat(run.json().path("detail").asString()).startsWith("deleted ");
            assertThat(jdbc.queryForList("SELECT state || ' ' || (received_at < now() - interval '30 days') "
                    + "FROM bolna_webhook_events WHERE execution_id = ?", String.class, execution))
                    .containsExactlyInAnyOrder("processed false", "failed true");
        } finally {
            http.put("/api/admin/config/webhook_event_retention_days", Map.of("value", "90"), admin.auth());
        }
    }
}
