package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import ai.calling.support.IntegrationTest;

/**
 * After the application has started once on an empty database, the catalog holds every table,
 * view, materialized view, function and trigger of the original system's schema documentation (the
 * catalogue below is that list, kept in the repository).
 */
@IntegrationTest
class SchemaCatalogTest {

    static final List<String> TABLES = List.of("users", "agents", "calls", "contacts", "phone_numbers",
            "transcripts", "twilio_processed_calls", "lead_analytics", "credit_transactions", "follow_ups",
            "customers", "agent_analytics", "user_analytics", "call_analytics_cache", "user_daily_analytics",
            "dashboard_cache", "user_sessions", "login_attempts", "password_reset_attempts", "admin_audit_log",
            "system_config", "migration_status", "agent_call_outcomes", "agent_performance_trends",
            "agent_targets", "trigger_error_log", "customer_reference_counters");

    static final List<String> VIEWS = List.of("user_stats", "agent_performance_summary", "call_source_analytics",
            "recent_call_analytics", "active_user_sessions", "user_login_stats");

    static final List<String> FUNCTIONS = List.of("update_updated_at_column", "trg_calls_daily_analytics",
            "trg_leads_daily_analytics", "trg_user_daily_rollup", "generate_customer_reference",
            "update_call_analytics_cache", "update_analytics_cta_totals", "get_cache_trigger_health",
            "cleanup_trigger_error_log", "test_cache_invalidation", "cleanup_expired_dashboard_cache",
            "cleanup_expired_sessions", "cleanup_old_login_attempts", "cleanup_old_password_reset_attempts",
            "validate_user_data_consistency", "audit_data_isolation", "scheduled_refresh_user_kpi_summary",
            "batch_calculate_call_analytics", "update_migration_progress", "transcripts_search_vectors");

    static final List<String> TRIGGERS = List.of("trg_calls_daily_analytics", "trg_leads_daily_analytics",
            "trg_user_daily_rollup", "trigger_update_agent_analytics_cta_totals",
            "trigger_update_user_analytics_cta_totals", "trigger_handle_lead_analytics_cta_update",
            "trigger_calls_update_analytics_cache", "trigger_generate_customer_reference",
            "update_users_updated_at", "update_agents_updated_at", "update_calls_updated_at",
            "update_contacts_updated_at", "update_system_config_updated_at", "update_agent_analytics_updated_at",
            "update_agent_targets_updated_at", "update_dashboard_cache_updated_at",
            "update_user_daily_analytics_updated_at", "update_user_sessions_updated_at",
            "update_customers_updated_at", "update_follow_ups_updated_at", "update_phone_numbers_updated_at",
            "update_user_analytics_updated_at", "update_call_analytics_cache_updated_at",
            "update_transcripts_updated_at", "trg_transcripts_search_vectors");

    static final List<String> NAMED_INDEXES_AND_CONSTRAINTS = List.of("idx_phone_numbers_unique_active",
            "idx_phone_numbers_unique_agent_assignment", "lead_analytics_complete_user_phone_unique",
            "idx_contacts_not_connected", "idx_user_sessions_active", "idx_user_kpi_summary_user_id",
            "agents_id_user_id_unique", "calls_id_user_id_unique", "contacts_id_user_id_unique",
            "calls_bolna_execution_id_unique", "agent_analytics_agent_user_date_unique",
            "user_analytics_user_date_hour_unique", "call_analytics_cache_user_period_unique",
            "dashboard_cache_user_key_unique", "idx_lead_analytics_cta_pricing", "idx_agent_analytics_cta_pricing");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Flyway flyway;

    @Autowired
    Environment environment;

    @Test
    void everyMigrationInDbMigrationWasAppliedFromEmpty() throws IOException {
        long files;
        try (Stream<Path> migrations = Files.list(Path.of("db/migration"))) {
            // versioned migrations and the repeatable ones (views redefined as they change)
            files = migrations.filter(p -> p.getFileName().toString().matches("(V\\d+|R)__.+\\.sql")).count();
        }
        MigrationInfo[] applied = flyway.info().applied();

        assertThat(applied).hasSize((int) files);
        assertThat(applied).allSatisfy(m -> assertThat(m.getState()).isEqualTo(MigrationState.SUCCESS));
        assertThat(flyway.info().pending()).isEmpty();
    }

    @Test
    void entitiesAreValidatedAgainstTheMigratedSchema() {
        // the context only starts when Hibernate's validation of every entity passed
        assertThat(environment.getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("validate");
    }

    @Test
    void everyTableExists() {
        assertThat(names("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_type = 'BASE TABLE'")).containsAll(TABLES);
    }

    @Test
    void everyViewAndTheMaterializedViewExist() {
        assertThat(names("SELECT table_name FROM information_schema.views WHERE table_schema = current_schema()"))
                .containsAll(VIEWS);
        assertThat(names("SELECT matviewname FROM pg_matviews WHERE schemaname = current_schema()"))
                .contains("user_kpi_summary");
    }

    @Test
    void everyFunctionExists() {
        assertThat(names("SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = current_schema()")).containsAll(FUNCTIONS);
    }

    @Test
    void everyTriggerExistsAndIsEnabled() {
        assertThat(names("SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND n.nspname = current_schema()"))
                .containsAll(TRIGGERS);
    }

    @Test
    void theCallAnalyticsTriggerFiresOnlyOnInsertAndStatusUpdates() {
        String definition = jdbc.queryForObject(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'trg_calls_daily_analytics'", String.class);

        assertThat(definition).contains("AFTER INSERT OR UPDATE OF status ON").contains("FOR EACH ROW");
    }

    @Test
    void namedIndexesAndConstraintsExist() {
        List<String> relations = names("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = current_schema() AND c.relkind = 'i'");
        assertThat(relations).containsAll(NAMED_INDEXES_AND_CONSTRAINTS);
    }

    @Test
    void systemConfigIsSeededWithTheDefaults() {
        assertThat(jdbc.queryForMap("SELECT "
                + "max(config_value) FILTER (WHERE config_key = 'credits_per_minute') AS credits_per_minute, "
                + "max(config_value) FILTER (WHERE config_key = 'new_user_bonus_credits') AS bonus, "
                + "max(config_value) FILTER (WHERE config_key = 'max_login_attempts') AS attempts, "
                + "max(config_value) FILTER (WHERE config_key = 'lockout_duration_minutes') AS lockout, "
                + "max(config_value) FILTER (WHERE config_key = 'password_min_length') AS min_length, "
                + "max(config_value) FILTER (WHERE config_key = 'kpi_refresh_interval_minutes') AS kpi, "
                + "max(config_value) FILTER (WHERE config_key = 'max_contacts_per_upload') AS upload "
                + "FROM system_config"))
                .containsEntry("credits_per_minute", "1").containsEntry("bonus", "15")
                .containsEntry("attempts", "5").containsEntry("lockout", "15")
                .containsEntry("min_length", "8").containsEntry("kpi", "5").containsEntry("upload", "10000");
    }

    private List<String> names(String sql) {
        return jdbc.queryForList(sql, String.class);
    }
}
