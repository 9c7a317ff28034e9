package ai.calling.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ai.calling.support.TestDatabase;

/**
 * Deleting a row that calls reference finds the referencing calls through an index (V79): PostgreSQL's
 * ON DELETE SET NULL runs {@code UPDATE calls ... WHERE <column> = $1} once per deleted parent row, and
 * without an index on the column each one read the whole calls table. A database of its own holding
 * 20,000 other calls; the transaction's own counts (pg_stat_xact_user_tables) say how many calls the
 * deletion read by scans.
 */
class CallForeignKeyLookupTest {

    static final int OTHER_CALLS = 20_000;
    static final int PARENTS = 50;

    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private SchemaFixtures fixtures;
    private UUID user;
    private UUID agent;

    @Test
    void deletingADraftCampaignFindsItsRecipientsCallsByIndex() {
        onCallsOfAnotherAccount("fk_lookup_recipients", () -> {
            UUID campaign = UUID.randomUUID();
            jdbc.update("""
                    INSERT INTO campaigns (id, user_id, agent_id, name, timezone, window_start, window_end, window_days,
                                           max_concurrent_calls, retry_max_attempts, retry_on, retry_delay_minutes)
                    VALUES (?, ?, ?, 'List', 'UTC', '09:00', '17:00', '{1,2,3,4,5}', 5, 1, '{}', 60)""",
                    campaign, user, agent);
            jdbc.update("""
                    INSERT INTO campaign_recipients (campaign_id, user_id, phone_number)
                    SELECT ?, ?, '+1415555' || lpad(g::text, 4, '0') FROM generate_series(1, ?) g""",
                    campaign, user, PARENTS);
            // one recipient was called (a draft has none; the column is the same for a running one)
            UUID called = fixtures.call(user, agent, "completed", SchemaAnalyticsTriggersTest.CALL_TIME);
            jdbc.update("""
                    UPDATE calls SET campaign_recipient_id = (SELECT min(id::text)::uuid FROM campaign_recipients
                                                               WHERE campaign_id = ?) WHERE id = ?""", campaign, called);

            long read = callsReadByScansWhile(() -> jdbc.update("DELETE FROM campaigns WHERE id = ?", campaign));

            assertThat(jdbc.queryForObject("SELECT campaign_recipient_id IS NULL FROM calls WHERE id = ?",
                    Boolean.class, called)).isTrue();
            assertThat(read).as("calls read by scans to delete a campaign of %d recipients", PARENTS)
                    .isLessThan(OTHER_CALLS);
        });
    }

    @Test
    void deletingAnAccountsTranscriptsFindsTheirCallsByIndex() {
        onCallsOfAnotherAccount("fk_lookup_transcripts", () -> {
            UUID closing = fixtures.user();
            UUID closingAgent = fixtures.agent(closing);
            for (int i = 0; i < PARENTS; i++) {
                UUID call = fixtures.call(closing, closingAgent, "completed", SchemaAnalyticsTriggersTest.CALL_TIME);
                UUID transcript = UUID.randomUUID();
                jdbc.update("INSERT INTO transcripts (id, call_id, user_id, content) VALUES (?, ?, ?, 'agent: hello')",
                        transcript, call, closing);
                jdbc.update("UPDATE calls SET transcript_id = ? WHERE id = ?", transcript, call);
            }

            long read = callsReadByScansWhile(() -> jdbc.update("DELETE FROM transcripts WHERE user_id = ?", closing));

            assertThat(jdbc.queryForObject("SELECT count(*) FROM calls WHERE user_id = ? AND transcript_id IS NOT NULL",
                    Integer.class, closing)).isZero();
            assertThat(read).as("calls read by scans to delete an account's %d transcripts", PARENTS)
                    .isLessThan(OTHER_CALLS);
        });
    }

    private void onCallsOfAnotherAccount(String suffix, Runnable test) {
        TestDatabase.get().onOneMigratedConnection(suffix, connection -> {
            jdbc = new JdbcTemplate(connection);
            transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
            fixtures = new SchemaFixtures(jdbc);
            UUID other = fixtures.user();
            UUID otherAgent = fixtures.agent(other);
            jdbc.update("""
                    INSERT INTO calls (user_id, agent_id, bolna_execution_id, phone_number, status)
                    SELECT ?, ?, 'other-' || g, '+14155550100', 'in_progress' FROM generate_series(1, ?) g""",
                    other, otherAgent, OTHER_CALLS);
            user = fixtures.user();
            agent = fixtures.agent(user);
            jdbc.execute("ANALYZE calls");
            test.run();
        });
    }

    /** Rows of calls read by sequential scans in one transaction running {@code work}. */
    private long callsReadByScansWhile(Runnable work) {
        return transactions.execute(status -> {
            long before = callsReadByScans();
            work.run();
            return callsReadByScans() - before;
        });
    }

    private long callsReadByScans() {
        return jdbc.queryForObject(
                "SELECT COALESCE(seq_tup_read, 0) FROM pg_stat_xact_user_tables WHERE relname = 'calls'", Long.class);
    }
}
