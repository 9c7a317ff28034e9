package ai.calling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import ai.calling.support.TestDatabase;
import ai.calling.support.TestDatabase.ScratchDatabase;

/**
 * bench/seed-growth.sql builds the rollup tables set-based (one INSERT ... SELECT each, with the
 * row-by-row triggers off) so that 10M calls seed in minutes instead of hours. Its figures are worth
 * something only if those rows are the ones the triggers write: a small data set (4 accounts, 20 agents,
 * 6,000 calls, several per agent and day, 30% with a lead analysis) is seeded both ways into two fresh
 * databases, and every rollup row must come out identical, the triggers and indexes back as they were.
 */
class GrowthSeedTest {

    static final List<String> ROLLUPS = List.of("agent_analytics", "user_analytics", "user_daily_analytics",
            "call_analytics_cache");

    @Test
    void theSetBasedSeedWritesExactlyTheRollupRowsTheTriggersWrite() throws Exception {
        TestDatabase server = TestDatabase.get();
        try (ScratchDatabase throughTriggers = server.scratchDatabase("seed_triggers");
                ScratchDatabase setBased = server.scratchDatabase("seed_set_based")) {
            // one end of the 90 days for both, or calls near midnight fall on different days
            String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
            Map<String, String> expected = seed(throughTriggers, false, now);
            Map<String, String> actual = seed(setBased, true, now);

            // 20 agents over 90 days (91 dates, by the time of day): about 3 calls per agent and day
            assertThat(Integer.parseInt(expected.get("agent_analytics rows"))).isBetween(1_700, 20 * 91);
            assertThat(expected.get("lead_analytics rows")).isEqualTo("1800");
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static Map<String, String> seed(ScratchDatabase database, boolean setBased, String now) throws Exception {
        TestDatabase server = TestDatabase.get();
        Flyway.configure().dataSource(database.url(), server.username(), server.password()).load().migrate();
        Map<String, String> fingerprint = new LinkedHashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET bench.users = 4");
            statement.execute("SET bench.calls = 6000");
            statement.execute("SET bench.set_based = " + (setBased ? "on" : "off"));
            statement.execute("SET bench.now = '" + now + "'");
            statement.execute(Files.readString(Path.of("bench/seed-growth.sql")));
            for (String table : ROLLUPS) {
                // every column but the row's own id and write times
                try (ResultSet rows = statement.executeQuery("SELECT count(*), md5(string_agg(r, '|' ORDER BY r)) FROM "
                        + "(SELECT (to_jsonb(x) - 'id' - 'created_at' - 'updated_at' - 'calculated_at')::text AS r FROM "
                        + table + " x) s")) {
                    rows.next();
                    fingerprint.put(table + " rows", rows.getString(1));
                    fingerprint.put(table + " md5", rows.getString(2));
                }
            }
            fingerprint.put("lead_analytics rows", single(statement, "SELECT count(*) FROM lead_analytics"));
            fingerprint.put("trigger errors", single(statement, "SELECT count(*) FROM trigger_error_log"));
            fingerprint.put("disabled triggers", single(statement,
                    "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'"));
            fingerprint.put("indexes of calls and lead_analytics", single(statement,
                    "SELECT string_agg(indexrelid::regclass::text, ',' ORDER BY indexrelid::regclass::text) FROM pg_index "
                            + "WHERE indrelid IN ('calls'::regclass, 'lead_analytics'::regclass)"));
        }
        return fingerprint;
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
