package ai.calling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each module owns its tables (decision 0016): a module's SQL (and its JPA entities) may name only
 * the tables it owns and the reporting views declared for reading across modules. Every other
 * table is reached through its owner's public API. A plain scan of the string literals of each
 * module's sources, no Spring and no database: it fails when new SQL reaches around an owner.
 */
@Tag("unit")
class TableOwnershipTest {

    static final Path SOURCES = Path.of("src/main/java/ai/calling");

    /** Every table of the schema and the module that owns it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("users", "auth"), Map.entry("user_sessions", "auth"), Map.entry("rotated_refresh_tokens", "auth"),
            Map.entry("login_attempts", "auth"), Map.entry("password_reset_attempts", "auth"),
            Map.entry("auth_tokens", "auth"), Map.entry("api_keys", "auth"), Map.entry("team_members", "auth"),
            Map.entry("team_invitations", "team"), Map.entry("team_audit_log", "team"),
            Map.entry("agents", "agent"), Map.entry("phone_numbers", "agent"),
            Map.entry("calls", "call"), Map.entry("transcripts", "call"), Map.entry("idempotency_keys", "call"),
            Map.entry("call_slots", "call"),
            Map.entry("contacts", "contact"), Map.entry("contact_connection_failures", "contact"),
            Map.entry("credit_transactions", "billing"), Map.entry("credit_holds", "billing"), Map.entry("credit_low_alerts", "billing"),
            Map.entry("stripe_checkout_sessions", "billing"), Map.entry("stripe_events", "billing"),
            Map.entry("lead_analytics", "lead"), Map.entry("lead_analysis_jobs", "lead"), Map.entry("follow_ups", "lead"),
            Map.entry("customers", "lead"), Map.entry("customer_reference_counters", "lead"),
            Map.entry("agent_analytics", "analytics"), Map.entry("user_analytics", "analytics"),
            Map.entry("user_daily_analytics", "analytics"), Map.entry("agent_call_outcomes", "analytics"),
            Map.entry("agent_performance_trends", "analytics"), Map.entry("agent_targets", "analytics"),
            Map.entry("call_analytics_cache", "analytics"), Map.entry("dashboard_cache", "analytics"),
            Map.entry("bolna_webhook_events", "webhook"),
            Map.entry("campaigns", "campaign"), Map.entry("campaign_recipients", "campaign"),
            Map.entry("do_not_call_numbers", "dnc"),
            Map.entry("webhook_endpoints", "integration"), Map.entry("outbound_events", "integration"),
            Map.entry("webhook_deliveries", "integration"), Map.entry("webhook_delivery_attempts", "integration"),
            Map.entry("integration_notifications", "integration"), Map.entry("live_event_readers", "integration"),
            Map.entry("system_config", "config"), Map.entry("shedlock", "config"),
            Map.entry("admin_audit_log", "common"),
            Map.entry("job_runs", "admin"), Map.entry("trigger_error_log", "admin"), Map.entry("migration_status", "admin"),
            Map.entry("twilio_processed_calls", "admin"));

    /**
     * Views any module may read: the reporting views of the original schema (and the KPI materialized view),
     * and every view of the repeatable migration that declares the read models across modules.
     */
    static final Set<String> REPORTING_VIEWS = reportingViews();

    static Set<String> reportingViews() {
        Set<String> views = new TreeSet<>(Set.of("active_user_sessions", "agent_performance_summary",
                "call_source_analytics", "recent_call_analytics", "user_login_stats", "user_stats", "user_kpi_summary"));
        try {
            Matcher view = Pattern.compile("CREATE VIEW ([a-z_]+)").matcher(
                    Files.readString(Path.of("db/migration/R__reporting_views_across_modules.sql")));
            while (view.find()) {
                views.add(view.group(1));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return views;
    }

    /**
     * The only reach across an owner, each with its reason: billing moves the balance that lives on
     * the users row (decision 0016: billing owns the balance columns, auth the rest of the row).
     */
    static final Set<String> ALLOWED = Set.of("billing -> users");

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:\\\\.|[^\"\\\\\\n])*)\"");
    /** A table after FROM, JOIN, UPDATE or TABLE (not a function: no parenthesis follows), or after INTO. */
    private static final Pattern TABLE_REFERENCE = Pattern.compile(
            "\\b(?:FROM|JOIN|UPDATE|TABLE)\\s+([a-z_][a-z0-9_]*)\\b(?!\\s*\\()|\\bINTO\\s+([a-z_][a-z0-9_]*)");
    /** A common table expression's name, also one written {@code AS [NOT] MATERIALIZED (}. */
    private static final Pattern CTE = Pattern.compile(
            "(?:WITH|,)\\s+([a-z_][a-z0-9_]*)\\s+AS\\s*(?:(?:NOT\\s+)?MATERIALIZED\\s*)?\\(");
    private static final Pattern ENTITY_TABLE = Pattern.compile("@Table\\(name\\s*=\\s*\"([a-z_]+)\"");

    @Test
    void everyModuleNamesOnlyItsOwnTablesAndDeclaredReportingViews() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String module = SOURCES.relativize(file).getName(0).toString();
                if (module.endsWith(".java")) {
                    continue;
                }
                for (String table : tablesNamedIn(Files.readString(file))) {
                    String owner = OWNERS.get(table);
                    if (owner == null && !REPORTING_VIEWS.contains(table)) {
                        unknown.add(table + " (" + file.getFileName() + ")");
                    } else if (owner != null && !owner.equals(module) && !ALLOWED.contains(module + " -> " + table)) {
                        violations.add(file.getFileName() + ": " + module + " -> " + table + " (owned by " + owner + ")");
                    }
                }
            }
        }
        assertThat(unknown).as("names that are neither a table with an owner nor a declared reporting view").isEmpty();
        assertThat(violations).as("SQL of a module that names another module's table").isEmpty();
    }

    /** A new table gets an owner (and a line in docs/architecture.md) in the change that creates it. */
    @Test
    void everyTableOfTheMigrationsHasAnOwnerAndIsInTheArchitectureDocument() throws IOException {
        Set<String> created = new TreeSet<>();
        try (Stream<Path> migrations = Files.list(Path.of("db/migration"))) {
            for (Path migration : migrations.filter(path -> path.toString().endsWith(".sql")).sorted().toList()) {
                String sql = Files.readString(migration).toLowerCase();
                Matcher create = Pattern.compile("create table (?:if not exists )?([a-z_0-9]+)").matcher(sql);
                while (create.find()) {
                    created.add(create.group(1));
                }
                Matcher drop = Pattern.compile("drop table (?:if exists )?([a-z_0-9]+)").matcher(sql);
                while (drop.find()) {
                    created.remove(drop.group(1));
                }
            }
        }
        assertThat(OWNERS.keySet()).as("tables with an owner").containsExactlyInAnyOrderElementsOf(created);
        String architecture = Files.readString(Path.of("docs/architecture.md"));
        assertThat(created).as("tables missing from docs/architecture.md")
                .allSatisfy(table -> assertThat(architecture).containsPattern("\\b" + table + "\\b"));
    }

    @Test
    void theScanFindsWhatSqlNames() {
        assertThat(tablesNamedIn("""
                String sql = \"""
                    WITH per_phone AS (SELECT phone_number FROM calls c JOIN transcripts t ON t.call_id = c.id),
                         picked AS MATERIALIZED (SELECT 1 FROM per_phone), kept AS NOT MATERIALIZED (SELECT 1)
                    SELECT * FROM picked JOIN kept ON true, unnest(:x) AS v JOIN lead_analytics l ON true\""";
                String more = "UPDATE campaigns SET x = 1";
                String insert = "INSERT INTO call_slots (slot) SELECT generate_series(1, :n)";
                String prose = "removed from Bolna again";
                @Table(name = "agents")""")).containsExactlyInAnyOrder("calls", "transcripts", "lead_analytics",
                "campaigns", "call_slots", "agents");
    }

    static Set<String> tablesNamedIn(String source) {
        StringBuilder literals = new StringBuilder();
        Matcher blocks = TEXT_BLOCK.matcher(source);
        String withoutBlocks = blocks.replaceAll(match -> {
            // literals are kept apart: a keyword ending one never names what starts the next
            literals.append(match.group(1)).append(';');
            return "\"\"";
        });
        Matcher strings = STRING.matcher(withoutBlocks);
        while (strings.find()) {
            literals.append(strings.group(1)).append(';');
        }
        String sql = literals.toString();
        Set<String> ctes = new HashSet<>();
        Matcher cte = CTE.matcher(sql);
        while (cte.find()) {
            ctes.add(cte.group(1));
        }
        Set<String> tables = new TreeSet<>();
        Matcher reference = TABLE_REFERENCE.matcher(sql);
        while (reference.find()) {
            String name = reference.group(1) != null ? reference.group(1) : reference.group(2);
            if (!ctes.contains(name) && !name.startsWith("pg_") && !name.equals("information_schema")) {
                tables.add(name);
            }
        }
        Matcher entity = ENTITY_TABLE.matcher(source);
        while (entity.find()) {
            tables.add(entity.group(1));
        }
        return tables;
    }
}
