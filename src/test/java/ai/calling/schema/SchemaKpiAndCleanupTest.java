package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.IntegrationTest;

/** The KPI materialized view refreshes concurrently and agrees with the tables; cleanups delete exactly their rows. */
@IntegrationTest
class SchemaKpiAndCleanupTest {

    @Autowired
    JdbcTemplate jdbc;

    SchemaFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new SchemaFixtures(jdbc);
    }

    @Test
    void refreshingConcurrentlyGivesTheSameFiguresAsADirectQuery() {
        UUID user = fixtures.user();
        UUID strong = fixtures.agent(user);
        UUID weak = fixtures.agent(user);
        OffsetDateTime yesterday = OffsetDateTime.now().minusDays(1);
        UUID first = fixtures.call(user, strong, "in_progress", yesterday);
        fixtures.complete(first, 3, 3);
        fixtures.complete(fixtures.call(user, strong, "in_progress", yesterday), 2, 2);
        fixtures.call(user, weak, "failed", yesterday);
        fixtures.call(user, weak, "completed", OffsetDateTime.now().minusDays(10));
        fixtures.call(user, weak, "completed", OffsetDateTime.now().minusDays(45));
        fixtures.individualLead(user, first, 90, true, false);

        jdbc.execute("SELECT scheduled_refresh_user_kpi_summary()");

        Map<String, Object> kpi = jdbc.queryForMap("SELECT * FROM user_kpi_summary WHERE user_id = ?", user);
        Map<String, Object> direct = jdbc.queryForMap("""
                SELECT count(*) FILTER (WHERE created_at >= now() - interval '30 days') AS calls_30d,
                       count(*) FILTER (WHERE created_at >= now() - interval '30 days' AND status = 'completed') AS ok_30d,
                       count(*) FILTER (WHERE created_at >= now() - interval '7 days') AS calls_7d,
                       COALESCE(sum(credits_used) FILTER (WHERE created_at >= now() - interval '30 days'), 0) AS credits_30d,
                       count(*) AS calls_lifetime
                  FROM calls WHERE user_id = ?""", user);
        assertThat(((Number) kpi.get("total_calls_30d")).longValue()).isEqualTo(direct.get("calls_30d")).isEqualTo(4L);
        assertThat(((Number) kpi.get("successful_calls_30d")).longValue()).isEqualTo(direct.get("ok_30d"));
        assertThat(((Number) kpi.get("calls_last_7d")).longValue()).isEqualTo(direct.get("calls_7d")).isEqualTo(3L);
        assertThat(((Number) kpi.get("total_credits_used_30d")).longValue()).isEqualTo(((Number) direct.get("credits_30d")).longValue());
        assertThat(((Number) kpi.get("total_calls_lifetime")).longValue()).isEqualTo(direct.get("calls_lifetime")).isEqualTo(5L);
        assertThat(((Number) kpi.get("total_leads_30d")).longValue()).isOne();
        assertThat(((Number) kpi.get("qualified_leads_30d")).longValue()).isOne();
        assertThat(kpi.get("best_performing_agent_id")).isEqualTo(strong);
        assertThat(((Number) kpi.get("total_agents")).longValue()).isEqualTo(2L);
        assertThat(jdbc.queryForObject("SELECT config_value FROM system_config WHERE config_key = 'last_kpi_refresh'",
                String.class)).isNotBlank();
    }

    @Test
    void cleanupExpiredSessionsDeletesOnlySessionsWhoseAccessAndRefreshHaveBothExpired() {
        UUID user = fixtures.user();
        UUID expired = session(user, "-2 hours", "-1 hour");
        UUID refreshable = session(user, "-2 hours", "+6 days");
        UUID live = session(user, "+1 hour", "+7 days");
        UUID accessOnlyExpired = session(user, "-1 minute", null);

        assertCleanupDeletes("cleanup_expired_sessions", "user_sessions",
                "expires_at < now() AND (refresh_expires_at IS NULL OR refresh_expires_at < now())");
        assertThat(jdbc.queryForList("SELECT id FROM user_sessions WHERE user_id = ?", UUID.class, user))
                .containsExactlyInAnyOrder(refreshable, live).doesNotContain(expired, accessOnlyExpired);
    }

    @Test
    void cleanupOldLoginAttemptsKeepsThirtyDays() {
        String email = UUID.randomUUID() + "@schema.test";
        attempt("login_attempts", email, "31 days");
        attempt("login_attempts", email, "29 days");

        assertCleanupDeletes("cleanup_old_login_attempts", "login_attempts", "attempted_at < now() - interval '30 days'");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM login_attempts WHERE email = ?", Long.class, email)).isOne();
    }

    @Test
    void cleanupOldPasswordResetAttemptsKeepsSevenDays() {
        String email = UUID.randomUUID() + "@schema.test";
        attempt("password_reset_attempts", email, "8 days");
        attempt("password_reset_attempts", email, "6 days");

        assertCleanupDeletes("cleanup_old_password_reset_attempts", "password_reset_attempts",
                "attempted_at < now() - interval '7 days'");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM password_reset_attempts WHERE email = ?", Long.class, email))
                .isOne();
    }

    @Test
    void cleanupExpiredDashboardCacheDeletesOnlyExpiredEntries() {
        UUID user = fixtures.user();
        String insert = "INSERT INTO dashboard_cache (user_id, cache_key, cache_data, expires_at) "
                + "VALUES (?, ?, '{}'::jsonb, now() + ?::interval)";
        jdbc.update(insert, user, "stale", "-1 minute");
        jdbc.update(insert, user, "fresh", "10 minutes");

        assertCleanupDeletes("cleanup_expired_dashboard_cache", "dashboard_cache", "expires_at < now()");
        assertThat(jdbc.queryForList("SELECT cache_key FROM dashboard_cache WHERE user_id = ?", String.class, user))
                .containsExactly("fresh");
    }

    @Test
    void cleanupTriggerErrorLogKeepsTheGivenNumberOfDays() {
        String marker = UUID.randomUUID().toString();
        String insert = "INSERT INTO trigger_error_log (trigger_name, table_name, operation, error_message, occurred_at) "
                + "VALUES ('t', 'calls', 'INSERT', ?, now() - ?::interval)";
        jdbc.update(insert, marker, "8 days");
        jdbc.update(insert, marker, "6 days");
        jdbc.update(insert, marker, "2 days");

        assertCleanupDeletes("cleanup_trigger_error_log", "trigger_error_log", "occurred_at < now() - interval '7 days'");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM trigger_error_log WHERE error_message = ?", Long.class, marker))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT cleanup_trigger_error_log(3)", Integer.class)).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM trigger_error_log WHERE error_message = ?", Long.class, marker))
                .isOne();
    }

    @Test
    void cleanupBolnaWebhookEventsDeletesOnlyOldProcessedAndIgnoredDeliveries() {
        String execution = "retention-" + UUID.randomUUID();
        String insert = "INSERT INTO bolna_webhook_events (execution_id, payload, state, received_at) "
                + "VALUES (?, '{}'::jsonb, ?, now() - ?::interval)";
        for (String state : new String[] { "processed", "ignored", "failed", "received" }) {
            jdbc.update(insert, execution, state, "91 days");
            jdbc.update(insert, execution, state, "89 days");
        }

        assertCleanupDeletes("cleanup_bolna_webhook_events", "bolna_webhook_events",
                "state IN ('processed', 'ignored') AND received_at < now() - interval '90 days'");
        assertThat(jdbc.queryForList("SELECT state || ' ' || (received_at < now() - interval '90 days') "
                + "FROM bolna_webhook_events WHERE execution_id = ?", String.class, execution))
                .containsExactlyInAnyOrder("processed false", "ignored false", "failed true", "failed false",
                        "received true", "received false");
        assertThat(jdbc.queryForObject("SELECT cleanup_bolna_webhook_events(30)", Integer.class)).isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM bolna_webhook_events WHERE execution_id = ?", Long.class,
                execution)).isEqualTo(4);
        assertThatThrownBy(() -> jdbc.queryForObject("SELECT cleanup_bolna_webhook_events(0)", Integer.class))
                .hasMessageContaining("days_to_keep must be 1 or more");
    }

    @Test
    void cleanupExpiredIdempotencyKeysDeletesKeysOlderThanADay() {
        UUID user = fixtures.user();
        String insert = "INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, response_status, "
                + "response_body, created_at) VALUES (?, ?, 'h', 201, '{}'::jsonb, now() - ?::interval)";
        jdbc.update(insert, user, "old", "25 hours");
        jdbc.update(insert, user, "recent", "23 hours");

        assertCleanupDeletes("cleanup_expired_idempotency_keys", "idempotency_keys",
                "created_at < now() - interval '24 hours'");
        assertThat(jdbc.queryForList("SELECT idempotency_key FROM idempotency_keys WHERE user_id = ?", String.class, user))
                .containsExactly("recent");
    }

    @Test
    void cleanupExpiredAuthTokensKeepsADayAfterExpiry() {
        UUID user = fixtures.user();
        String insert = "INSERT INTO auth_tokens (user_id, purpose, token_hash, expires_at) "
                + "VALUES (?, 'password_reset', ?, now() - ?::interval)";
        jdbc.update(insert, user, "long-expired-" + user, "25 hours");
        jdbc.update(insert, user, "just-expired-" + user, "23 hours");
        jdbc.update(insert, user, "valid-" + user, "-1 hour");

        assertCleanupDeletes("cleanup_expired_auth_tokens", "auth_tokens", "expires_at < now() - interval '1 day'");
        assertThat(jdbc.queryForList("SELECT token_hash FROM auth_tokens WHERE user_id = ?", String.class, user))
                .containsExactlyInAnyOrder("just-expired-" + user, "valid-" + user);
    }

    /** The function returns the number of rows matching the retention rule, deletes exactly those and keeps the rest. */
    private void assertCleanupDeletes(String function, String table, String expiredCondition) {
        long expiredBefore = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + expiredCondition, Long.class);
        long keptBefore = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE NOT (" + expiredCondition + ")",
                Long.class);
        assertThat(expiredBefore).isPositive();

        Integer deleted = jdbc.queryForObject("SELECT " + function + "()", Integer.class);

        assertThat(deleted.longValue()).isEqualTo(expiredBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE " + expiredCondition, Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class)).isEqualTo(keptBefore);
    }

    private UUID session(UUID user, String expiresIn, String refreshExpiresIn) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO user_sessions (id, user_id, token_hash, expires_at, refresh_expires_at)
                VALUES (?, ?, ?, now() + ?::interval, now() + ?::interval)""",
                id, user, "hash-" + id, expiresIn, refreshExpiresIn);
        return id;
    }

    private void attempt(String table, String email, String age) {
        jdbc.update("INSERT INTO " + table + " (email, attempted_at) VALUES (?, now() - ?::interval)", email, age);
    }
}
