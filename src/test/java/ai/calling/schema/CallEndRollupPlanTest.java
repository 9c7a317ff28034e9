package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.TestDatabase;

/**
 * The commit-time rollup of call ends (roll_up_call_ends, decision 0057) reads a transaction's calls by
 * primary key however many calls have ended since its statements were first planned on the connection.
 * With a condition on status beside the ids, PostgreSQL's plan read the calls through idx_calls_status
 * and filtered them by id: every completed call of the table, for every transaction that ended a call (the
 * statistics were taken while few calls had ended, so that index looked selective). A database of its own,
 * one connection (PL/pgSQL keeps its plans per connection), 20,000 completed calls added between the first
 * rollups and the measured one, nothing analysing the table meanwhile.
 */
class CallEndRollupPlanTest {

    static final int GROWTH = 20_000;

    @Test
    void theRollupReadsItsCallsByIdAfterTheTableGrewUnderPlansMadeWhileItWasSmall() {
        TestDatabase.get().onOneMigratedConnection("call_end_rollup_plan", connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            // an ANALYZE after the growth would replan the statements and hide what is tested
            jdbc.execute("ALTER TABLE calls SET (autovacuum_enabled = off)");
            SchemaFixtures fixtures = new SchemaFixtures(jdbc);
            UUID user = fixtures.user();
            UUID agent = fixtures.agent(user);
            // statistics taken while hardly any call has ended: a status of completed looks rare
            jdbc.update("""
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status)
                    SELECT ?, ?, 'ringing-' || g, '+14155550100', 'in_progress' FROM generate_series(1, 1000) g""",
                    user, agent);
            jdbc.execute("ANALYZE calls");
            for (int i = 0; i < 12; i++) {
                UUID call = fixtures.call(user, agent, "in_progress", SchemaAnalyticsTriggersTest.CALL_TIME);
                transactions.executeWithoutResult(status -> fixtures.complete(call, 1, 1));
            }
            // ended calls written without their rollups (no trigger fires for a replica's writes)
            transactions.executeWithoutResult(status -> {
                jdbc.execute("SET LOCAL session_replication_role = replica");
                jdbc.update("""
                        INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status, created_at)
                        SELECT ?, ?, 'grown-' || g, '+14155550100', 'completed', ?
                          FROM generate_series(1, ?) g""", user, agent, SchemaAnalyticsTriggersTest.CALL_TIME, GROWTH);
            });
            UUID ending = fixtures.call(user, agent, "in_progress", SchemaAnalyticsTriggersTest.CALL_TIME);

            long fetched = transactions.execute(status -> {
                long before = callRowsFetchedByIndex(jdbc);
                fixtures.complete(ending, 1, 1);
                // the deferred rollup runs here instead of at the commit, so this transaction's counts see it
                jdbc.execute("SET CONSTRAINTS ALL IMMEDIATE");
                return callRowsFetchedByIndex(jdbc) - before;
            });

            assertThat(jdbc.queryForObject("SELECT total_calls FROM agent_analytics WHERE agent_id = ?", Integer.class,
                    agent)).isEqualTo(13);
            assertThat(fetched).as("calls fetched through indexes to end and roll up one call").isLessThan(100);
        });
    }

    /**
     * The accounts' day rows are found by key however many days the tables hold: with thousands of day rows
     * the first version hashed both day tables whole, once to find the missing rows and once more to move
     * the rest, on every commit that ended calls.
     */
    @Test
    void theRollupFindsTheAccountsDayRowsByKeyInTablesOfThousandsOfDays() {
        TestDatabase.get().onOneMigratedConnection("call_end_rollup_days", connection -> {
            JdbcTemplate jdbc = new JdbcTemplate(connection);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            SchemaFixtures fixtures = new SchemaFixtures(jdbc);
            List<UUID[]> accounts = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                UUID user = fixtures.user();
                accounts.add(new UUID[] {user, fixtures.agent(user)});
            }
            // 400 earlier days of each account in both day tables
            jdbc.update("""
                    INSERT INTO user_analytics (user_id, date, hour, total_calls)
                    SELECT u.id, DATE '2025-01-01' + d, NULL, 1 FROM users u, generate_series(0, 399) d""");
            jdbc.update("""
                    INSERT INTO user_daily_analytics (user_id, date, total_calls)
                    SELECT u.id, DATE '2025-01-01' + d, 1 FROM users u, generate_series(0, 399) d""");
            List<UUID> ending = new ArrayList<>();
            for (UUID[] account : accounts) {
                for (int i = 0; i < 3; i++) {
                    ending.add(fixtures.call(account[0], account[1], "in_progress", SchemaAnalyticsTriggersTest.CALL_TIME));
                }
            }
            // every account's day of the calls exists already, as it does after its first call of the day
            transactions.executeWithoutResult(status -> accounts.forEach(account ->
                    jdbc.queryForList("SELECT lock_user_analytics_day(?, ?)::text", account[0],
                            SchemaAnalyticsTriggersTest.CALL_DAY)));
            jdbc.execute("ANALYZE user_analytics");
            jdbc.execute("ANALYZE user_daily_analytics");

            long read = transactions.execute(status -> {
                long before = dayRowsRead(jdbc);
                ending.forEach(call -> fixtures.complete(call, 1, 1));
                jdbc.execute("SET CONSTRAINTS ALL IMMEDIATE");
                return dayRowsRead(jdbc) - before;
            });

            assertThat(jdbc.queryForObject("SELECT sum(total_calls)::int FROM user_daily_analytics WHERE date = ?",
                    Integer.class, SchemaAnalyticsTriggersTest.CALL_DAY)).isEqualTo(90);
            assertThat(read).as("day rows read to roll up 90 calls of 30 accounts' one day").isLessThan(1_000);
        });
    }

    /** Rows of the two day tables read by this transaction so far, by scans and through indexes. */
    private static long dayRowsRead(JdbcTemplate jdbc) {
        return jdbc.queryForObject("""
                SELECT sum(COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0))::bigint FROM pg_stat_xact_user_tables
                 WHERE relname IN ('user_analytics', 'user_daily_analytics')""", Long.class);
    }

    /** Rows of calls fetched through its indexes by this transaction so far (pg_stat_xact_*: its own counts). */
    private static long callRowsFetchedByIndex(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT idx_tup_fetch FROM pg_stat_xact_user_tables WHERE relname = 'calls'",
                Long.class);
    }
}
